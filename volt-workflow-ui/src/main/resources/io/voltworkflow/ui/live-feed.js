// Transport of live events: a WebSocket when the host offers one, polling otherwise.
//
// While the socket is not open (not offered, connecting, or waiting to reconnect) the feed polls, so a proxy that
// blocks WebSockets or a restarting server never stops the page from updating. Reconnects back off exponentially
// and resume after the last sequence the page has seen; the page de-duplicates, so overlap is harmless.

import { withQuery } from './http.js';

const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30000;

function streamAddress(streamUrl, params) {
  const url = new URL(withQuery(streamUrl, params));
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.href;
}

/**
 * @param {object} options
 * @param {string|null} options.streamUrl WebSocket URL (http(s) or ws(s), absolute or relative), or null to poll only
 * @param {() => object} options.streamParams query parameters for each (re)connect, e.g. { after, access_token }
 * @param {(events: object[]) => void} options.onStreamEvents called with events received on the socket
 * @param {() => Promise<void>} options.poll one polling round (fetch events and whatever else the page needs)
 * @param {number} options.pollIntervalMs pause between polling rounds
 * @param {(connection: {kind: string, retryInMs?: number, error?: Error}) => void} options.onConnection
 */
export function createLiveFeed({ streamUrl, streamParams, onStreamEvents, poll, pollIntervalMs, onConnection }) {
  let stopped = true;
  let socket = null;
  let socketOpen = false;
  let pollTimer = null;
  let reconnectTimer = null;
  let backoffMs = INITIAL_BACKOFF_MS;

  function schedulePoll(delayMs) {
    if (stopped || socketOpen || pollTimer !== null) return;
    pollTimer = setTimeout(pollRound, delayMs);
  }

  async function pollRound() {
    pollTimer = null;
    if (stopped || socketOpen) return;
    try {
      await poll();
      if (!socketOpen && reconnectTimer === null && socket === null) onConnection({ kind: 'polling' });
    } catch (error) {
      onConnection({ kind: 'error', error });
    }
    schedulePoll(pollIntervalMs);
  }

  function connect() {
    reconnectTimer = null;
    if (stopped) return;
    let ws;
    try {
      ws = new WebSocket(streamAddress(streamUrl, streamParams()));
    } catch (error) {
      onConnection({ kind: 'error', error });
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      socketOpen = true;
      backoffMs = INITIAL_BACKOFF_MS;
      clearTimeout(pollTimer);
      pollTimer = null;
      onConnection({ kind: 'live' });
    });
    ws.addEventListener('message', (message) => {
      if (socket !== ws || typeof message.data !== 'string') return;
      let parsed;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return; // not an event: ignore rather than break the page
      }
      onStreamEvents(Array.isArray(parsed) ? parsed : [parsed]);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      socketOpen = false;
      if (stopped) return;
      scheduleReconnect();
      schedulePoll(0);
    });
  }

  function scheduleReconnect() {
    if (stopped) return;
    const delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    reconnectTimer = setTimeout(connect, delay);
    onConnection({ kind: 'reconnecting', retryInMs: delay });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      if (streamUrl) connect();
      schedulePoll(streamUrl ? pollIntervalMs : 0);
    },
    stop() {
      stopped = true;
      clearTimeout(pollTimer);
      clearTimeout(reconnectTimer);
      pollTimer = null;
      reconnectTimer = null;
      socketOpen = false;
      const open = socket;
      socket = null;
      open?.close();
    },
  };
}
