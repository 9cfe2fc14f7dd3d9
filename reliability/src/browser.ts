// Chromium driven through Playwright's library API, and what a page shows about injected markup.
import { type Browser, chromium, type Page } from '@playwright/test';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Collects the page's Content-Security-Policy violations in `window.__cspViolations`, from its first script on. */
export async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { __cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
}

export interface PageInspection {
  /** `window.__xss`, which every payload sets if it runs. */
  flag: unknown;
  /** Links and sources with a script-capable scheme, event-handler attributes, elements the app never renders. */
  problems: string[];
  cspViolations: string[];
  /** The page's text as a reader sees it, form fields' values included. */
  text: string;
}

/** Reads the live DOM: what a payload would leave behind had it been parsed as markup rather than shown as text. */
export function inspectPage(page: Page): Promise<PageInspection> {
  return page.evaluate(() => {
    const visibleText = () =>
      [
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is the point, not hidden nodes'
        document.body.innerText,
        ...[...document.querySelectorAll('input, textarea')].map((field) => Reflect.get(field, 'value')),
      ].join('\n');
    const problems: string[] = [];
    const describeElement = (element: Element) => element.outerHTML.slice(0, 160);
    // Browsers drop control characters and whitespace anywhere in a scheme, and compare it case-insensitively.
    const scriptScheme = (value: string) =>
      /^(javascript|data|vbscript):/.test(
        [...value]
          .filter((character) => character > ' ')
          .join('')
          .toLowerCase(),
      );
    for (const element of document.body.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith('on')) problems.push(`event handler attribute ${name}: ${describeElement(element)}`);
        if (
          ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data'].includes(name) &&
          scriptScheme(attribute.value)
        ) {
          problems.push(`${name} with a script-capable scheme: ${describeElement(element)}`);
        }
      }
    }
    const foreign = 'script, iframe, frame, object, embed, base, meta, style, form[action], link';
    for (const element of document.body.querySelectorAll(foreign))
      problems.push(`foreign element: ${describeElement(element)}`);
    // The head's scripts are the app's own: its modules and public/theme.js, which sets the theme before the first paint.
    for (const element of document.head.querySelectorAll(
      'script:not([type="module"]):not([src="/theme.js"]), base, meta[http-equiv], iframe',
    )) {
      problems.push(`foreign element in head: ${describeElement(element)}`);
    }
    const violations: unknown = Reflect.get(window, '__cspViolations');
    return {
      flag: Reflect.get(window, '__xss') ?? null,
      problems,
      cspViolations: Array.isArray(violations) ? violations.map(String) : [],
      text: visibleText(),
    };
  });
}

/** Waits until the page shows `text`, in its text or a form field. */
export async function waitForText(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is the point, not hidden nodes'
      document.body.innerText.includes(wanted) ||
      [...document.querySelectorAll('input, textarea')].some((field) =>
        String(Reflect.get(field, 'value')).includes(wanted),
      ),
    text.trim(),
    { timeout },
  );
}
