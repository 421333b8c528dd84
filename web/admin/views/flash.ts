import { html } from 'hono/html';
import type { Flash } from '../env.js';

/** The outcome of the last action, announced to screen readers. */
export function flashOf(flash: Flash | undefined) {
  return flash ? html`<p class="${flash.ok ? 'notice' : 'error'}" role="status">${flash.text}</p>` : '';
}
