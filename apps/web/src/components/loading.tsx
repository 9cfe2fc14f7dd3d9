export function Loading({ label = 'Loading…', fullPage = false }: { label?: string; fullPage?: boolean }) {
  return (
    <div className={fullPage ? 'loading loading--page' : 'loading'}>
      <p role="status" className="loading__text">
        <span className="spinner spinner--muted" aria-hidden="true" />
        {label}
      </p>
    </div>
  );
}
