import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Button } from './button';

/**
 * A secret shown once, right after it was made, until "Done". Its heading takes the focus, so a screen reader reads
 * the card at once.
 */
export function RevealCard({ title, children, onDone }: { title: ReactNode; children: ReactNode; onDone: () => void }) {
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="card stack reveal" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="card__title" tabIndex={-1} ref={headingRef}>
        {title}
      </h3>
      {children}
      <div>
        <Button variant="secondary" onClick={onDone}>
          Done
        </Button>
      </div>
    </section>
  );
}
