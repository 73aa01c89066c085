/**
 * Development access tokens from the gateway's POST /auth/dev-token (enabled in Development only).
 * Hands out a cached token until a minute before it expires; `forceRefresh` (EventStreamService asks for it
 * after a 401, and when the server ended a stream because its token expired) fetches a new one. Concurrent callers share one request.
 */
export class DevTokenSource {
    constructor({ baseUrl = '', ttlSeconds = 3600 } = {}) {
        this.baseUrl = baseUrl;
        this.ttlSeconds = ttlSeconds;
        this.token = null;
        this.expiresAt = 0;
        this.claims = null;
        this._pending = null;
    }

    /** @param {{forceRefresh?: boolean}} [options] */
    get({ forceRefresh = false } = {}) {
        if (!forceRefresh && this.token && Date.now() < this.expiresAt - 60_000) {
            return Promise.resolve(this.token);
        }

        this._pending ??= this._issue().finally(() => { this._pending = null; });
        return this._pending;
    }

    async _issue() {
        const response = await fetch(`${this.baseUrl}/auth/dev-token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ ttl_seconds: this.ttlSeconds }),
        });
        if (response.status === 404) {
            throw new Error('Dev tokens are disabled on this gateway (DevTokens:Enabled). Run it in Development to use the demo.');
        }
        if (!response.ok) {
            throw new Error(`Could not get a dev token: ${response.status} ${response.statusText}`);
        }

        const body = await response.json();
        this.token = body.access_token;
        this.expiresAt = Date.now() + body.expires_in * 1000;
        this.claims = decodeClaims(this.token);
        return this.token;
    }
}

/** The JWT payload, for display only (the gateway is what checks it). */
function decodeClaims(token) {
    try {
        const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
        return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
    } catch {
        return null;
    }
}
