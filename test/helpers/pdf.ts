import { createPdfRenderer } from '../../services/pdf/pdf-renderer.js';

/** Debian's Chromium, started on the first render only: files that render nothing pay nothing. */
export const testPdfRenderer = () => createPdfRenderer({ executablePath: '/usr/bin/chromium' });
