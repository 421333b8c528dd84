import { chromium, type Browser, type Page } from 'playwright-core';

export interface PdfRenderer {
  /** An A4 PDF of a self-contained HTML page (inline styles, no network). */
  render(html: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

const POOL_SIZE = 4;

/**
 * One Chromium for every render, started on first use and restarted if it dies. Renders share a
 * few pages in one context without JavaScript or network: opening a context per document cost
 * more than the rendering itself. A page that fails is closed and replaced.
 */
export function createPdfRenderer(options: { executablePath: string }): PdfRenderer {
  let browser: Promise<Browser> | undefined;
  const idle: Page[] = [];
  const waiting: ((page: Page) => void)[] = [];
  let open = 0;

  const current = async (): Promise<Browser> => {
    if (browser && (await browser).isConnected()) return browser;
    idle.length = 0;
    open = 0;
    browser = chromium.launch({
      executablePath: options.executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    (await browser).on('disconnected', () => (browser = undefined));
    return browser;
  };
  const take = async (): Promise<Page> => {
    const ready = idle.pop();
    if (ready && !ready.isClosed()) return ready;
    if (open < POOL_SIZE) {
      open++;
      try {
        const context = await (await current()).newContext({ javaScriptEnabled: false, offline: true });
        return await context.newPage();
      } catch (err) {
        open--;
        throw err;
      }
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const give = (page: Page) => {
    const next = waiting.shift();
    if (next) next(page);
    else idle.push(page);
  };

  return {
    async render(html) {
      const page = await take();
      try {
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
        give(page);
        return pdf;
      } catch (err) {
        open--;
        await page.context().close().catch(() => undefined);
        // Whoever waits for a page gets a fresh one in place of the broken one.
        const next = waiting.shift();
        if (next) void take().then(next, () => waiting.unshift(next));
        throw err;
      }
    },
    async close() {
      const running = browser;
      browser = undefined;
      idle.length = 0;
      open = 0;
      if (running) await (await running).close();
    },
  };
}
