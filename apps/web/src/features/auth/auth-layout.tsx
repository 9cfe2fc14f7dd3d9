import type { ReactNode, Ref } from 'react';

type AuthLayoutProps = {
  title: string;
  eyebrow?: string;
  intro?: ReactNode;
  wide?: boolean;
  titleRef?: Ref<HTMLHeadingElement>;
  children: ReactNode;
};

/** The centred single-card layout of the pages shown before the app shell. */
export function AuthLayout({ title, eyebrow, intro, wide = false, titleRef, children }: AuthLayoutProps) {
  return (
    <main className="auth">
      <div className={wide ? 'auth__panel auth__panel--wide' : 'auth__panel'}>
        <p className="wordmark auth__wordmark">
          <span className="wordmark__mark" aria-hidden="true" />
          Promptlog
        </p>
        <section className="card auth__card" aria-labelledby="auth-title">
          {eyebrow && <p className="eyebrow">{eyebrow}</p>}
          <h1 id="auth-title" className="auth__title" tabIndex={titleRef ? -1 : undefined} ref={titleRef}>
            {title}
          </h1>
          {intro && <div className="auth__intro">{intro}</div>}
          <div className="auth__body">{children}</div>
        </section>
      </div>
    </main>
  );
}
