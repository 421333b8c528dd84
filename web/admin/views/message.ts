import { html } from 'hono/html';

/** A page that says one thing: a record not found, a page for administrators only. */
export function messageView(text: string, kind: 'plain' | 'error' = 'plain') {
  return html`<p class="card ${kind === 'error' ? 'error' : ''}">${text}</p>`;
}
