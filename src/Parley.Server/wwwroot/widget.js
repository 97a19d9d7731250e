/*! Parley chat widget. Install: <script src="https://your-parley-host/widget.js" data-key="pk_…" async></script>
 * Plain JavaScript with no dependencies and no build step. It draws itself inside a shadow root, talks to the Parley
 * API of the host it was loaded from, and defines no global but window.Parley. Text is only ever inserted as text
 * nodes, and all styles live in a constructed stylesheet, so it runs under a strict Content-Security-Policy. */
(() => {
  'use strict';
  if (window.Parley && window.Parley.version) return;
  const script = document.currentScript || document.querySelector('script[data-key][src*="widget"]');
  const KEY = script && script.dataset.key;
  if (!KEY) return console.warn('Parley: add data-key="pk_…" to the widget script tag.');

  const BASE = new URL(script.src, location.href).origin;
  const STORE = 'parley:' + KEY;
  const QUEUE = STORE + ':queue';
  const DEFAULT_COLOR = '#4F46E5';

  const TEXT = {
    en: ['Open chat', 'Close chat', 'Send', 'Write a message…', 'is typing', 'unread', "You're offline. Messages will be sent when the connection is back.",
      "Can't reach the chat right now. Messages will be sent as soon as it's back.", "This chat isn't enabled on this website", "This chat isn't set up correctly.",
      'The chat is busy. Trying again in {0} s…', 'Sending…', "Couldn't send this message", 'Sources', 'Suggested replies', 'Agent', 'Message', 'Chat', 'Powered by Parley', 'Waiting for a person…', "You're chatting with a person"],
    fr: ['Ouvrir le chat', 'Fermer le chat', 'Envoyer', 'Écrivez un message…', 'écrit', 'non lus', 'Vous êtes hors ligne. Les messages partiront dès le retour de la connexion.',
      'Le chat est injoignable pour le moment. Les messages partiront dès son retour.', "Ce chat n'est pas activé sur ce site", "Ce chat n'est pas bien configuré.",
      'Le chat est occupé. Nouvel essai dans {0} s…', 'Envoi…', "Ce message n'a pas pu être envoyé", 'Sources', 'Réponses suggérées', 'Conseiller', 'Message', 'Chat', 'Propulsé par Parley', 'En attente d’un conseiller…', 'Vous parlez avec un conseiller'],
    de: ['Chat öffnen', 'Chat schließen', 'Senden', 'Nachricht schreiben…', 'schreibt', 'ungelesen', 'Sie sind offline. Nachrichten werden gesendet, sobald die Verbindung zurück ist.',
      'Der Chat ist gerade nicht erreichbar. Nachrichten werden gesendet, sobald er zurück ist.', 'Dieser Chat ist auf dieser Website nicht aktiviert', 'Dieser Chat ist nicht richtig eingerichtet.',
      'Der Chat ist ausgelastet. Neuer Versuch in {0} s…', 'Wird gesendet…', 'Nachricht konnte nicht gesendet werden', 'Quellen', 'Antwortvorschläge', 'Mitarbeiter', 'Nachricht', 'Chat', 'Bereitgestellt von Parley', 'Warten auf einen Mitarbeiter…', 'Sie chatten mit einem Mitarbeiter'],
    es: ['Abrir chat', 'Cerrar chat', 'Enviar', 'Escribe un mensaje…', 'está escribiendo', 'sin leer', 'Sin conexión. Los mensajes se enviarán cuando vuelva la conexión.',
      'No podemos conectar con el chat ahora. Los mensajes se enviarán en cuanto vuelva.', 'Este chat no está activado en este sitio', 'Este chat no está bien configurado.',
      'El chat está ocupado. Reintentando en {0} s…', 'Enviando…', 'No se pudo enviar este mensaje', 'Fuentes', 'Respuestas sugeridas', 'Agente', 'Mensaje', 'Chat', 'Con la tecnología de Parley', 'Esperando a una persona…', 'Hablas con una persona'],
  };
  const NAMES = ['open', 'close', 'send', 'placeholder', 'typing', 'unread', 'offline', 'unavailable', 'origin', 'badKey', 'limited', 'sending',
    'failed', 'sources', 'suggestions', 'agent', 'message', 'chat', 'powered', 'waiting', 'human'];
  let locale = script.dataset.locale || document.documentElement.lang || navigator.language || 'en';
  const t = (name, arg) => {
    const table = TEXT[locale.slice(0, 2).toLowerCase()] || TEXT.en;
    return table[NAMES.indexOf(name)].replace('{0}', arg);
  };

  // ---- storage: the session survives reloads and is shared by the tabs of this site ----
  const read = (name, fallback) => {
    try { return JSON.parse(localStorage.getItem(name)) || fallback; } catch { return fallback; }
  };
  const write = (name, value) => {
    try { localStorage.setItem(name, JSON.stringify(value)); } catch { /* storage full or blocked: the widget still works for this page */ }
  };
  const saved = () => read(STORE, {});
  const queue = () => read(QUEUE, []);
  const unqueue = (key) => write(QUEUE, queue().filter((item) => item.k !== key));
  const newKey = () => 'wgt_' + Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

  // ---- DOM helpers: text goes in as text nodes, never as HTML ----
  const h = (tag, attrs, ...children) => {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : value);
    }
    el.append(...children.filter((c) => c != null));
    return el;
  };
  const icon = (path) => {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', path);
    svg.append(p);
    return svg;
  };
  const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
  const CLOSE_ICON = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z';
  const SEND_ICON = 'M3 20.5 21 12 3 3.5 3 10l12 2-12 2z';

  const safeUrl = (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch { return null; }
  };
  const link = (href, children) => {
    const url = safeUrl(href);
    return url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, ...children) : document.createTextNode(href);
  };

  // The Markdown subset bots use: **bold**, *italic*, [text](https://…), bare links and line breaks, built as DOM nodes.
  const INLINE = /\*\*(.+?)\*\*|\*(\S(?:.*?\S)?)\*|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>]*[^\s<>.,;:!?)'"])/g;
  const markdown = (text, inLink) => {
    const out = document.createDocumentFragment();
    text.split('\n').forEach((line, i) => {
      if (i) out.append(h('br'));
      let at = 0;
      for (const m of line.matchAll(INLINE)) {
        if (inLink && (m[3] || m[5])) continue;
        out.append(line.slice(at, m.index));
        at = m.index + m[0].length;
        if (m[1]) out.append(h('strong', null, markdown(m[1], inLink)));
        else if (m[2]) out.append(h('em', null, markdown(m[2], inLink)));
        else if (m[3]) out.append(link(m[4], [markdown(m[3], true)]));
        else out.append(link(m[5], [m[5]]));
      }
      out.append(line.slice(at));
    });
    return out;
  };

  // ---- styles: one constructed stylesheet (a <style> in the shadow root where that is not supported) ----
  const css = (color, ink) => `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.root{--p:${color};--ink:${ink};font-size:15px;line-height:1.45;color:#1f2330}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid var(--p);outline-offset:2px}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;height:56px;min-width:56px;padding:0 16px;
border:0;border-radius:28px;background:var(--p);color:var(--ink);box-shadow:0 6px 24px rgba(15,23,42,.22);transition:transform .15s ease}
.root:not(.ready) .launcher{visibility:hidden}
.launcher:hover{transform:translateY(-2px)}
.launcher:focus-visible{outline-color:#1f2330}
.launcher svg{width:26px;height:26px;fill:currentColor;flex:none}
.launcher .label{font-weight:600;white-space:nowrap}
.launcher .x,.open .launcher .label,.open .launcher .chat{display:none}
.open .launcher .x{display:block}
.open .launcher{padding:0 15px}
.left .launcher{right:auto;left:20px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#e11d48;color:#fff;font-size:12px;
font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.badge::before{content:attr(data-n)}
.panel{position:fixed;bottom:88px;right:20px;z-index:2147483000;display:flex;flex-direction:column;width:380px;height:min(620px,calc(100vh - 110px));
background:#fff;border-radius:18px;overflow:hidden;box-shadow:0 16px 48px rgba(15,23,42,.28);animation:rise .18s ease-out}
.left .panel{right:auto;left:20px}
.panel[hidden]{display:none}
@keyframes rise{from{opacity:0;transform:translateY(12px)}}
header{display:flex;align-items:center;gap:12px;padding:16px 14px 16px 18px;background:var(--p);color:var(--ink)}
.avatar{width:38px;height:38px;border-radius:50%;flex:none;display:grid;place-items:center;background:rgba(255,255,255,.22);font-weight:700;overflow:hidden}
.avatar img{width:100%;height:100%;object-fit:cover}
.title{flex:1;min-width:0}
.title b{display:block;font-size:16px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.icon{display:grid;place-items:center;width:36px;height:36px;border:0;border-radius:50%;background:transparent;color:inherit}
.icon:hover{background:rgba(127,127,127,.18)}
.icon svg{width:20px;height:20px;fill:currentColor}
header .icon:focus-visible{outline-color:currentColor;outline-offset:-3px}
.status{padding:8px 16px;font-size:13px;background:#fff7e6;color:#7a4b00;border-bottom:1px solid #f5deb0}
.status:empty{display:none}
.fatal{margin:auto 8px;padding:18px;border-radius:14px;background:#fff;border:1px solid #f7c6cf;color:#9f1239;text-align:center}
.log{flex:1;overflow-y:auto;padding:18px 14px 8px;background:#f6f7fb;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.row{display:flex;flex-direction:column;align-items:flex-start;max-width:84%}
.row.user{align-self:flex-end;align-items:flex-end}
.row.system{align-self:center;max-width:92%}
.bubble{padding:10px 14px;border-radius:18px 18px 18px 6px;background:#fff;border:1px solid #e6e8ef;white-space:normal;overflow-wrap:anywhere}
.user .bubble{border-radius:18px 18px 6px 18px;background:var(--p);color:var(--ink);border-color:transparent}
.agent .bubble{border-left:3px solid var(--p)}
.system .bubble{background:transparent;border:0;color:#5b6170;font-size:13px;text-align:center}
.who{font-size:12px;color:#5b6170;margin:0 0 3px 6px}
.bubble a{color:inherit;text-decoration:underline}
.bot .bubble a,.agent .bubble a{color:var(--p)}
.pending .bubble{opacity:.7}
.note{font-size:12px;color:#5b6170;margin:3px 6px 0}
.failed .note{color:#be123c}
.sources{margin-top:6px;font-size:13px;display:flex;flex-wrap:wrap;gap:4px 10px;color:#5b6170}
.sources a{color:var(--p)}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin:2px 0 4px}
.choices button{padding:7px 14px;border-radius:18px;border:1.5px solid var(--p);background:#fff;color:#1f2330;font-size:14px}
.choices button:hover{background:var(--p);color:var(--ink)}
.typing .bubble{display:flex;gap:4px;padding:14px 16px}
.typing i{width:7px;height:7px;border-radius:50%;background:#9aa0ad;animation:blink 1.2s infinite}
.typing i:nth-child(2){animation-delay:.2s}.typing i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3;transform:translateY(0)}40%{opacity:1;transform:translateY(-3px)}}
form{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e6e8ef;background:#fff}
textarea:focus-visible{outline:none}
textarea{flex:1;resize:none;max-height:120px;min-height:42px;padding:10px 14px;border:1px solid #d5d8e0;border-radius:21px;font:inherit;color:inherit;background:#fff;outline:none}
textarea:focus{border-color:var(--p);box-shadow:0 0 0 3px color-mix(in srgb,var(--p) 25%,transparent)}
form .icon{width:42px;height:42px;background:var(--p);color:var(--ink);flex:none}
form .icon:disabled{opacity:.45;cursor:default}
.brand{padding:0 0 8px;text-align:center;font-size:11px;color:#5b6170;background:#fff}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0}.open .launcher{display:none}textarea{font-size:16px}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}`;

  const colorOf = (value) => (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value || '') ? value : DEFAULT_COLOR);
  const inkOn = (hex) => {
    const full = hex.length === 4 ? hex.replace(/\w/g, (c) => c + c) : hex;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(full.substr(i, 2), 16) / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.6 ? '#111827' : '#ffffff';
  };

  // ---- the widget's elements ----
  const host = h('div', { 'data-parley': '' });
  const shadow = host.attachShadow({ mode: 'open' });
  let sheet = null;
  const styleWith = (color) => {
    const text = css(color, inkOn(color));
    if ('adoptedStyleSheets' in shadow && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      sheet = sheet || new CSSStyleSheet();
      sheet.replaceSync(text);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      (shadow.querySelector('style') || shadow.appendChild(h('style'))).textContent = text;
    }
  };

  const badge = h('span', { class: 'badge', hidden: true });
  const launcherLabel = h('span', { class: 'label' });
  const launcher = h('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'parley-panel', onclick: () => toggle() },
    icon(CHAT_ICON), icon(CLOSE_ICON), launcherLabel, badge);
  launcher.firstChild.classList.add('chat');
  launcher.children[1].classList.add('x');
  const avatar = h('span', { class: 'avatar', 'aria-hidden': 'true' });
  const titleName = h('b');
  const closeButton = h('button', { class: 'icon', type: 'button', onclick: () => close() }, icon(CLOSE_ICON));
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  const input = h('textarea', { rows: '1', maxlength: '4000', enterkeyhint: 'send' });
  const sendButton = h('button', { class: 'icon', type: 'submit' }, icon(SEND_ICON));
  const brand = h('div', { class: 'brand' });
  const form = h('form', { onsubmit: (e) => { e.preventDefault(); submitTyped(); } }, input, sendButton);
  const panel = h('div', { class: 'panel', id: 'parley-panel', role: 'dialog', 'aria-modal': 'false', hidden: true },
    h('header', null, avatar, h('div', { class: 'title' }, titleName), closeButton), status, log, form, brand);
  const root = h('div', { class: 'root' }, panel, launcher);
  shadow.append(root);

  // ---- state ----
  let session = null; // the last widget session response
  let began = null; // the first connect, once the visitor opened the chat or wrote
  let bot = saved().b || null; // the bot and theme, remembered so a reload draws the right colors at once
  let isOpen = false;
  let unread = 0;
  let lastId = '';
  let lastUrl = null;
  let localeSent = null;
  let failure = null; // a problem that stops the widget (origin not allowed, bad key)
  let typingRow = null;
  let flushing = false;
  let retryTimer = 0;
  let attempt = 0;
  let held = null; // the 'message' events of a reply drawn before the turn settled (see announce)
  const rows = new Map(); // message id -> row element
  const pending = new Map(); // idempotency key -> row element of a message not yet confirmed
  const streams = new Map(); // message id -> text received so far
  const handlers = {};

  const emit = (name, detail) => (handlers[name] || []).slice().forEach((fn) => {
    try { fn(detail); } catch (e) { console.error(e); }
  });

  const labels = () => {
    const name = (bot && ((bot.theme && bot.theme.title) || bot.name)) || t('chat');
    titleName.textContent = name;
    panel.setAttribute('aria-label', name);
    launcherLabel.textContent = (bot && bot.theme && bot.theme.launcher_text) || '';
    launcher.setAttribute('aria-label', (isOpen ? t('close') : launcherLabel.textContent || t('open')) + (unread ? ` (${unread} ${t('unread')})` : ''));
    launcherLabel.hidden = !launcherLabel.textContent;
    closeButton.setAttribute('aria-label', t('close'));
    input.setAttribute('placeholder', t('placeholder'));
    input.setAttribute('aria-label', t('message'));
    sendButton.setAttribute('aria-label', t('send'));
    brand.textContent = t('powered');
    // Drawn by CSS: the count is already in the launcher's name, so the visible label stays the name's prefix.
    badge.dataset.n = unread > 9 ? '9+' : unread;
    badge.hidden = !unread || isOpen;
  };

  const applyTheme = () => {
    const theme = (bot && bot.theme) || {};
    if (bot) root.classList.add('ready');
    styleWith(colorOf(theme.primary_color));
    root.classList.toggle('left', theme.position === 'left');
    const picture = safeUrl(theme.avatar_url || '');
    avatar.replaceChildren(picture ? h('img', { src: picture, alt: '' }) : ((bot && bot.name) || 'P').charAt(0).toUpperCase());
    labels();
  };

  const setStatus = (text) => { status.textContent = text || ''; };

  const scrollDown = () => { log.scrollTop = log.scrollHeight; };

  // ---- messages ----
  const fill = (row, message, text) => {
    const bubble = row.querySelector('.bubble');
    bubble.replaceChildren(markdown(text));
    row.querySelector('.sources')?.remove();
    const sources = (message.citations || []).filter((c) => c && safeUrl(c.url));
    if (sources.length) {
      row.append(h('div', { class: 'sources' }, t('sources') + ':',
        ...sources.map((c, i) => link(c.url, [c.title || `[${i + 1}]`]))));
    }
  };

  // What the session opened with was said before anything this tab still has queued, so it goes above it.
  const rowFor = (message, early) => {
    const role = ['user', 'bot', 'agent', 'system'].includes(message.role) ? message.role : 'bot';
    const row = h('div', { class: 'row ' + role },
      role === 'agent' ? h('div', { class: 'who' }, message.author_name || t('agent')) : null,
      h('div', { class: 'bubble' }));
    log.insertBefore(row, (early && log.querySelector('.pending')) || (typingRow && typingRow.isConnected ? typingRow : null));
    return row;
  };

  const showChoices = (message) => {
    log.querySelectorAll('.choices').forEach((c) => c.remove());
    const replies = message.quick_replies || [];
    if (!replies.length || message.role === 'user') return;
    const group = h('div', { class: 'choices', role: 'group', 'aria-label': t('suggestions') },
      ...replies.map((q) => h('button', { type: 'button', onclick: () => send({ choice: q.value, label: q.label }) }, q.label)));
    rows.get(message.id).append(group);
  };

  // Renders a message once; a message already on screen (streamed, or sent from this tab) is completed in place.
  // Earlier messages of a resumed conversation are drawn quietly: no event, no unread count. A message from the live
  // stream leaves the catch-up cursor alone: another tab's message before it may not be on screen yet.
  const show = (message, quiet, live, early) => {
    if (!message || !message.id) return;
    let row = rows.get(message.id);
    if (row && !streams.has(message.id)) return;
    streams.delete(message.id);
    row = row || rowFor(message, early);
    rows.set(message.id, row);
    row.removeAttribute('aria-busy');
    fill(row, message, message.text || '');
    if (!live && message.id > lastId) lastId = message.id;
    showChoices(message);
    if (!quiet) {
      if (message.role !== 'user' && !isOpen) unread++;
      labels();
      announce(message);
    }
    scrollDown();
  };

  // A turn's reply is drawn as it streams in, but the visitor's message is confirmed only when the turn settles (its
  // stream ends, or a retry after a broken stream replays it, or it is refused for good): the reply's events wait until
  // then, so that 'message' listeners hear a turn in the order it was written.
  const announce = (message) => (held ? held.push(message) : emit('message', message));
  const release = () => {
    const messages = held || [];
    held = null;
    messages.forEach((message) => emit('message', message));
  };

  const showDelta = (id, delta) => {
    hideTyping();
    let row = rows.get(id);
    if (!row) {
      row = rowFor({ role: 'bot' });
      row.setAttribute('aria-busy', 'true');
      rows.set(id, row);
    }
    const text = (streams.get(id) || '') + delta;
    streams.set(id, text);
    row.querySelector('.bubble').replaceChildren(markdown(text));
    scrollDown();
  };

  const showPending = (item) => {
    if (pending.has(item.k)) return;
    const row = rowFor({ role: 'user' });
    row.classList.add('pending');
    row.querySelector('.bubble').append(item.label || item.text || item.choice);
    row.append(h('div', { class: 'note' }, t('sending')));
    pending.set(item.k, row);
    scrollDown();
  };

  const confirmPending = (key, message) => {
    const row = pending.get(key);
    pending.delete(key);
    if (!row) return show(message);
    if (!message || rows.has(message.id)) return row.remove();
    row.classList.remove('pending');
    row.querySelector('.note')?.remove();
    rows.set(message.id, row);
    if (message.id > lastId) lastId = message.id;
    emit('message', message);
  };

  const failPending = (key, detail) => {
    const row = pending.get(key);
    pending.delete(key);
    if (!row) return;
    row.classList.replace('pending', 'failed');
    row.querySelector('.note').textContent = t('failed') + (detail ? ': ' + detail : '');
  };

  // The bot working, or an agent typing (`typing` events): hidden when they stop, send, or go quiet for 6 s.
  let typingTimer = 0;
  const showTyping = (who = titleName.textContent, role = 'bot') => {
    hideTyping();
    typingRow = h('div', { class: `row ${role} typing` },
      h('div', { class: 'bubble', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
      h('span', { class: 'sr' }, `${who} ${t('typing')}`));
    log.append(typingRow);
    scrollDown();
  };
  const hideTyping = () => {
    clearTimeout(typingTimer);
    if (typingRow) typingRow.remove();
  };
  const agentTyping = (data) => {
    hideTyping();
    if (data.typing) showTyping(data.name || t('agent'), 'agent'), typingTimer = setTimeout(hideTyping, 6e3);
  };

  // ---- talking to the API ----
  const pageMetadata = () => {
    const metadata = { locale: locale.replace(/[^\w-]/g, '').slice(0, 35) || 'en' };
    const page = safeUrl(location.href.split('#')[0]);
    if (page) metadata.page_url = page.length > 2048 ? location.origin + location.pathname : page;
    const landing = saved().l || {}; // where a first visit came from, kept until its session opens
    const referrer = safeUrl(document.referrer);
    if (referrer && referrer.length <= 2048) metadata.referrer = referrer;
    const utm = {};
    new URLSearchParams(location.search).forEach((value, key) => {
      if (/^utm_/i.test(key) && Object.keys(utm).length < 10) utm[key.toLowerCase()] = value.slice(0, 200);
    });
    if (Object.keys(utm).length) metadata.utm = utm;
    if (landing.u && !metadata.utm) metadata.utm = landing.u;
    if (landing.r) metadata.referrer = landing.r;
    lastUrl = location.href;
    localeSent = locale;
    return metadata;
  };

  const problemOf = async (response) => {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON: keep the status */ }
    problem.status = response.status;
    problem.retry = Math.min(300, Math.max(1, Number(response.headers.get('Retry-After')) || 5));
    return problem;
  };

  const call = (path, token, options = {}) => fetch(BASE + path, {
    ...options,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', ...options.headers },
  });

  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const backoff = () => Math.min(1000 * 2 ** attempt++, 10000);

  const stop = (problem) => {
    failure = problem;
    root.classList.add('ready');
    const text = problem.code === 'origin_not_allowed' ? `${t('origin')} (${location.origin}).` : t('badKey');
    setStatus('');
    log.replaceChildren(h('div', { class: 'fatal', role: 'alert' }, text));
    input.disabled = sendButton.disabled = true;
    console.warn('Parley:', problem.detail || problem.code);
  };

  // Opens (or resumes) the widget session; retries while the server is unreachable.
  const connect = async (contact) => {
    for (;;) {
      const body = { metadata: pageMetadata() };
      if (saved().t) body.session_token = saved().t;
      if (contact) body.contact = contact;
      let response;
      try {
        response = await call('/v1/widget/sessions', KEY, { method: 'POST', body: JSON.stringify(body) });
      } catch {
        root.classList.add('ready'); // a first visit while the server is down: show the launcher, in the default colors
        setStatus(navigator.onLine === false ? t('offline') : t('unavailable'));
        await wait(backoff());
        continue;
      }
      if (response.ok) {
        attempt = 0;
        setStatus('');
        start(await response.json());
        return session;
      }
      const problem = await problemOf(response);
      if (response.status === 429 || response.status >= 500) {
        setStatus(response.status === 429 ? t('limited', problem.retry) : t('unavailable'));
        await wait(response.status === 429 ? problem.retry * 1000 : backoff());
        continue;
      }
      if (contact) throw Object.assign(new Error(problem.detail || 'Parley: identify failed'), { problem });
      stop(problem);
      throw Object.assign(new Error(problem.detail || problem.code), { problem });
    }
  };

  const start = (opened) => {
    const previous = session && session.conversation.id;
    session = opened;
    bot = opened.bot;
    write(STORE, { ...saved(), t: opened.session_token, c: opened.conversation.id, b: opened.bot, l: null });
    applyTheme();
    if (previous && previous !== opened.conversation.id) {
      rows.forEach((row) => row.remove());
      rows.clear();
      lastId = '';
    }
    opened.messages.forEach((message) => show(message, opened.resumed, 0, 1));
    labels();
    queue().forEach(showPending);
    handoff(opened.conversation);
    flush();
    follow();
  };

  // The human side: a status line while the visitor waits for, or talks with, a person.
  const handoff = (c) => {
    if (session && c) session.conversation = c;
    setStatus(c && c.status === 'handoff' ? t(c.handoff && (c.handoff.assigned_key_id || c.handoff.assigned_user_id) ? 'human' : 'waiting') : '');
  };

  // Follows the conversation live (agent replies, status changes) and resumes after the last event it saw.
  let live = null;
  const follow = async () => {
    const id = session.conversation.id;
    if (live === id || failure) return;
    live = id;
    let last = '';
    while (live === id) {
      try {
        const response = await call(`/v1/conversations/${id}/stream`, session.session_token, { headers: last ? { 'Last-Event-ID': last } : {} });
        if (response.status === 401 || response.status === 404) live = null;
        else if (response.ok) {
          await readEvents(response, (name, data, eventId) => {
            last = eventId || last;
            // This tab's own messages and the replies to them arrive with the turn; the stream adds the rest.
            if (name === 'typing') agentTyping(data);
            else if (name !== 'message.created') handoff(data.conversation);
            else if (data.role !== 'user' && !(data.role === 'bot' && flushing)) show(data, false, true);
          });
        }
      } catch { /* offline or the stream broke: reconnect below */ }
      await wait(2000);
    }
  };

  // Reads new messages of the conversation (after a change in another tab, or when the panel opens).
  const catchUp = async () => {
    if (!session) return;
    try {
      const response = await call(`/v1/conversations/${session.conversation.id}/messages?limit=100&after=${encodeURIComponent(lastId)}`, session.session_token);
      if (response.ok) (await response.json()).data.forEach((message) => show(message));
    } catch { /* offline: the next change catches up */ }
  };

  const readEvents = async (response, onEvent) => {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        let id;
        const data = [];
        block.split('\n').forEach((line) => {
          if (line.startsWith('event:')) name = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          else if (line.startsWith('id:')) id = line.slice(3).trim();
        });
        if (data.length) onEvent(name, JSON.parse(data.join('\n')), id);
      }
    }
  };

  const finishTurn = (item, turn) => {
    confirmPending(item.k, turn.user_message);
    release();
    turn.messages.forEach((message) => show(message));
    handoff(turn.conversation);
    write(STORE, { ...saved(), n: lastId });
  };

  // Sends one queued message. True when it is settled (sent, or refused for good); false to retry later.
  const deliver = async (item) => {
    if (!item.c) {
      item.c = session.conversation.id;
      write(QUEUE, queue().map((q) => (q.k === item.k ? item : q)));
    }
    let response;
    showTyping();
    try {
      response = await call(`/v1/conversations/${item.c}/messages`, session.session_token, {
        method: 'POST', body: item.b, headers: { Accept: 'text/event-stream', 'Idempotency-Key': item.k },
      });
    } catch {
      hideTyping();
      setStatus(navigator.onLine === false ? t('offline') : t('unavailable'));
      return false;
    }
    if (response.ok) {
      setStatus('');
      let turn = null;
      try {
        if ((response.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
          held = held || [];
          await readEvents(response, (name, data) => {
            if (name === 'message.delta') showDelta(data.message_id, data.delta);
            else if (name === 'message.completed') show(data);
            else if (name === 'done') turn = data;
          });
        } else {
          turn = await response.json(); // a replayed request answers with the stored JSON
        }
      } catch { /* the stream broke: the turn is committed, so the retry with the same key replays it */ }
      hideTyping();
      if (!turn) return false;
      finishTurn(item, turn);
      return true;
    }
    hideTyping();
    const problem = await problemOf(response);
    if (response.status === 429) {
      setStatus(t('limited', problem.retry));
      return problem.retry * 1000;
    }
    if (response.status >= 500) {
      setStatus(t('unavailable'));
      return false;
    }
    if ([401, 404, 409].includes(response.status)) {
      // The session expired or the conversation was closed: a fresh session has an open conversation to send to.
      if (response.status === 401) write(STORE, { ...saved(), t: null });
      await connect();
      if (session.conversation.id !== item.c) {
        item.c = session.conversation.id;
        write(QUEUE, queue().map((q) => (q.k === item.k ? item : q)));
        return false;
      }
    }
    release();
    failPending(item.k, problem.detail);
    return true;
  };

  // Sends the queued messages in order, once each; on failure waits, then tries again with the same keys.
  const flush = async () => {
    if (flushing || !session || failure) return;
    flushing = true;
    clearTimeout(retryTimer);
    try {
      for (let item; (item = queue()[0]);) {
        const settled = await deliver(item);
        if (settled !== true) {
          retryTimer = setTimeout(flush, typeof settled === 'number' ? settled : backoff());
          return;
        }
        attempt = 0;
        unqueue(item.k);
      }
    } finally {
      flushing = false;
    }
  };

  const send = (what) => {
    if (failure) return;
    const body = what.choice ? { choice: what.choice } : { text: what.text };
    if (location.href !== lastUrl || locale !== localeSent) body.metadata = pageMetadata();
    const item = { k: newKey(), b: JSON.stringify(body), text: what.text, choice: what.choice, label: what.label };
    write(QUEUE, [...queue(), item]);
    log.querySelectorAll('.choices').forEach((c) => c.remove());
    showPending(item);
    begin();
    flush();
  };

  // With a person, the agent sees the visitor typing: a signal every 3 s at most, never retried (it is news only while fresh).
  let typingSent = 0;
  const reportTyping = (typing) => {
    const now = Date.now();
    if (session?.conversation.status !== 'handoff' || (typing ? now - typingSent < 3000 : !typingSent)) return;
    typingSent = typing ? now : 0;
    call(`/v1/conversations/${session.conversation.id}/typing`, session.session_token, { method: 'POST', body: `{"typing":${typing}}` }).catch(() => {});
  };

  const submitTyped = () => {
    const text = input.value.trim();
    if (!text) return;
    typingSent = 0;
    input.value = '';
    grow();
    send({ text });
  };

  const grow = () => {
    input.rows = Math.min(5, Math.max(1, input.value.split('\n').length));
  };

  // ---- open / close ----
  const open = () => {
    if (isOpen) return;
    isOpen = true;
    unread = 0;
    panel.hidden = false;
    root.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    labels();
    scrollDown();
    (failure ? closeButton : input).focus();
    begin();
    catchUp();
    emit('open');
  };

  const close = () => {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    root.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    labels();
    launcher.focus();
    emit('close');
  };

  const toggle = () => (isOpen ? close() : open());

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitTyped();
    }
  });
  input.addEventListener('input', () => {
    grow();
    reportTyping(input.value.trim().length > 0);
  });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  });

  // Another tab of this site changed the session or the conversation: follow it.
  window.addEventListener('storage', (e) => {
    if (e.key === STORE && session) {
      // Every tab holds its own token for the same visitor; only a different conversation means this tab must follow.
      if (saved().c && saved().c !== session.conversation.id) connect().catch(() => {});
      else catchUp();
    } else if (e.key === QUEUE) {
      const keys = new Set(queue().map((item) => item.k));
      catchUp().then(() => pending.forEach((row, key) => keys.has(key) || confirmPending(key, null)));
      queue().forEach(showPending);
    }
  });
  window.addEventListener('online', () => { attempt = 0; flush(); });
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && catchUp());

  window.Parley = Object.freeze({
    version: '1',
    open,
    close,
    toggle,
    /** Tells Parley who the visitor is: reopens the session with these contact fields. */
    identify: async (contact) => {
      const fields = {};
      ['email', 'name', 'phone'].forEach((name) => {
        if (contact && typeof contact[name] === 'string' && contact[name].trim()) fields[name] = contact[name].trim();
      });
      await connect(fields);
      if (fields.email || fields.phone) emit('lead', fields);
      return fields;
    },
    /** Listens to 'message', 'open', 'close' or 'lead'; returns a function that stops listening. */
    on: (name, fn) => {
      (handlers[name] = handlers[name] || []).push(fn);
      return () => { handlers[name] = handlers[name].filter((f) => f !== fn); };
    },
    setLocale: (value) => {
      locale = String(value || 'en');
      labels();
    },
  });

  // A first visit opens no session, and so starts no conversation, until the visitor opens the chat or writes:
  // until then only the bot's profile is read, to draw the launcher.
  const profile = async () => {
    try {
      const response = await call('/v1/widget/bot', KEY, { method: 'POST' });
      if (response.ok) {
        bot = await response.json();
        write(STORE, { ...saved(), b: bot });
        if (bot.greeting && !session && !isOpen) unread = 1; // the greeting waits, as it would in a session
        return applyTheme();
      }
      if (response.status < 429) return stop(await problemOf(response));
    } catch { /* unreachable: the launcher keeps the default colors; opening the chat retries */ }
    root.classList.add('ready');
  };
  const begin = () => session || failure || began || (began = connect().catch(() => { began = null; }));

  applyTheme();
  const mount = () => {
    document.body.append(host);
    if (script.dataset.open === 'true') open();
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
  if (saved().t) begin();
  else {
    const { utm: u, referrer: r } = pageMetadata();
    if (!saved().l && (u || (r && !r.startsWith(location.origin)))) write(STORE, { ...saved(), l: { u, r } });
    profile();
  }
  window.dispatchEvent(new CustomEvent('parley:ready'));
})();
