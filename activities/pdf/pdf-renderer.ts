import { chromium, type Browser } from 'playwright-core';

export interface PdfRenderer {
  /** An A4 PDF of a self-contained HTML page (inline styles, no network). */
  render(html: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * One Chromium for every render, started on first use and restarted if it dies; each render gets
 * its own page, closed afterwards, so a bad document cannot leak into the next one.
 */
export function createPdfRenderer(options: { executablePath: string }): PdfRenderer {
  let browser: Promise<Browser> | undefined;
  const launch = () =>
    chromium.launch({
      executablePath: options.executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  const current = async () => {
    if (browser && (await browser).isConnected()) return browser;
    browser = launch();
    (await browser).on('disconnected', () => (browser = undefined));
    return browser;
  };
  return {
    async render(html) {
      const context = await (await current()).newContext({ javaScriptEnabled: false, offline: true });
      try {
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      } finally {
        await context.close();
      }
    },
    async close() {
      const open = browser;
      browser = undefined;
      if (open) await (await open).close();
    },
  };
}
