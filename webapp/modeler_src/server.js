/*
 * Talking to the modeler's JSON endpoints (webapp/modeler/): the session cookie signs the
 * request in, the CSRF token of the page's <meta name="csrf-token"> goes in X-CSRFToken.
 * Answers are { status, ok, body }; errors carry the engine's Problem fields.
 */

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
}

async function answer(response) {
  let body = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    body = await response.json();
  } else {
    body = { title: `The server answered ${response.status}`, problems: [] };
  }
  return { status: response.status, ok: response.ok, body };
}

export async function getJSON(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return answer(response);
}

export async function postJSON(url, payload) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken() },
    body: JSON.stringify(payload),
  });
  return answer(response);
}

export async function getText(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/xml' } });
  if (!response.ok) {
    throw new Error(`the server answered ${response.status}`);
  }
  return response.text();
}
