// Sets the saved theme on <html> before the first paint: a file of its own, since the CSP allows no inline script.
// src/lib/theme.ts takes over once the app loads; both read the same storage key.
(() => {
  let stored = null;
  try {
    stored = localStorage.getItem('promptlog.theme');
  } catch {
    // No storage: follow the system.
  }
  const dark = stored === 'dark' || (stored !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();
