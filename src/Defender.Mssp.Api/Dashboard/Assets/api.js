// The management API as the page calls it: same origin, the API key in X-Api-Key, errors as ApiError with the
// problem's title and detail (plain text from the server, shown with textContent).

const KEY_STORAGE = 'defender-mssp.dashboard.api-key';

export class ApiError extends Error {
  constructor(status, title, detail, retryAfterSeconds) {
    super(detail ? `${title} ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The key kept for this tab only: session storage dies with the tab and is never sent anywhere by the browser. */
export const keyStore = {
  get: () => sessionStorage.getItem(KEY_STORAGE),
  set: (key) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

export class Api {
  constructor(key) {
    this.key = key;
  }

  get(path) {
    return this.send('GET', path);
  }

  post(path) {
    return this.send('POST', path);
  }

  async send(method, path) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: { 'X-Api-Key': this.key, Accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
    } catch {
      throw new ApiError(0, 'The API could not be reached.', 'Check the network or whether the API is running.');
    }

    if (response.ok) {
      return response.status === 204 ? null : response.json();
    }

    let title = response.statusText || `HTTP ${response.status}`;
    let detail = '';
    try {
      const problem = await response.json();
      title = typeof problem.title === 'string' ? problem.title : title;
      detail = typeof problem.detail === 'string' ? problem.detail : '';
    } catch {
      // Not a problem document; the status says enough.
    }

    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError(response.status, title, detail, Number.isFinite(retryAfter) ? retryAfter : null);
  }
}

export function tenantPath(tenantId, suffix = '') {
  return `/tenants/${encodeURIComponent(tenantId)}${suffix}`;
}
