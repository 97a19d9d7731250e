// The flow builder's canvas: drawflow (vendored, window.Drawflow) behind a small interface in the API's terms.
// Blocks are known by their flow id, ports by name; .NET keeps the flow document and is told of every change.
const gridStep = 20;         // the canvas's dotted grid (flowBuilder.css); arrow keys move by one step
const vendor = new URL('./vendor/drawflow/', import.meta.url);
let drawflowLoaded;

function loadDrawflow() {
  if (window.Drawflow) return Promise.resolve();
  return drawflowLoaded ??= new Promise((resolve, reject) => {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = new URL('drawflow.min.css', vendor).href;
    document.head.append(css);
    const script = document.createElement('script');
    script.src = new URL('drawflow.min.js', vendor).href;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('The canvas library did not load.'));
    document.head.append(script);
  });
}

function escapeHtml(text) {
  const div = document.createElement('div');
  div.textContent = text ?? '';
  return div.innerHTML;
}

export async function create(container, dotnet) {
  await loadDrawflow();
  return new FlowCanvas(container, dotnet);
}

// Delete, or Backspace as the Mac's delete key.
function isDeleteKey(e) {
  return !e.ctrlKey && !e.altKey && (e.key === 'Delete' || e.key === 'Backspace');
}

class FlowCanvas {
  constructor(container, dotnet) {
    this.container = container;
    this.dotnet = dotnet;
    this.nodes = new Map();     // drawflow id -> { id, type, ports, waits } of a block or a note (type 'note', no ports)
    this.ids = new Map();       // flow id (of a block or a note) -> drawflow id
    this.quiet = 0;             // > 0 while the canvas is changed from .NET: no change is reported back
    this.picked = new Set();    // flow ids of the blocks picked with Shift+click, for copy and moving together
    this.group = null;          // while a picked block is dragged: { dragged, start: Map(flow id -> { x, y }) } of all picked
    this.pointer = null;        // the last place of the mouse over the canvas, in client coordinates
    const editor = this.editor = new window.Drawflow(container);
    editor.reroute = false;
    editor.zoom_min = 0.25;
    editor.zoom_max = 2;
    // drawflow deletes the selected block on Delete anywhere in the page; keys typed in a form field are not for it,
    // and blocks and notes are the builder's to delete, after it asks (see listen). A selected wire goes at once.
    const key = editor.key, canvas = this;
    editor.key = function (e) {
      if (e.target.closest?.('input, textarea, select, [contenteditable]')) return;
      if (!e.target.closest?.('.flow-canvas')) return;
      if (isDeleteKey(e) && canvas.chosen().length > 0) return;
      key.call(this, e);
    };
    editor.start();
    editor.on('connectionCreated', c => this.connected(c));
    editor.on('connectionRemoved', c => {
      if (this.quiet) return;
      const from = this.nodes.get(String(c.output_id));
      if (from) this.report('OnWireRemoved', from.id, this.portOf(from, c.output_class));
    });
    editor.on('mouseMove', () => { if (this.group && editor.drag) this.followDragged(); });
    editor.on('nodeMoved', id => {
      const node = editor.getNodeFromId(id);
      const flowId = this.nodes.get(String(id)).id;
      if (this.group?.dragged === flowId) {
        this.followDragged();
        this.reportMoved([...this.group.start.keys()]);
      } else {
        this.report('OnBlockMoved', flowId, node.pos_x, node.pos_y);
      }
      this.group = null;
    });
    editor.on('nodeSelected', id => this.report('OnBlockSelected', this.nodes.get(String(id))?.id ?? null));
    editor.on('nodeRemoved', id => {
      const node = this.nodes.get(String(id));
      if (!node) return;
      this.nodes.delete(String(id));
      this.ids.delete(node.id);
      if (!this.quiet) this.report('OnBlockRemoved', node.id);
    });
    // Shift+click picks several blocks (with the selected one); a plain click elsewhere starts over.
    container.addEventListener('mousedown', e => {
      if (e.target.closest?.('.output, .input')) return;
      const element = e.target.closest?.('.drawflow-node');
      const id = element?.dataset.flowId;
      if (e.shiftKey && id) {
        const selected = editor.node_selected?.dataset.flowId;
        if (selected) this.picked.add(selected);
        if (this.picked.has(id) && id !== selected) this.picked.delete(id); else this.picked.add(id);
      } else if (!id || !this.picked.has(id)) {
        this.picked.clear();
      }
      this.showPicked();
      // Dragging one of several picked blocks (or notes) takes the others along by the same offset.
      this.group = null;
      if (id && !e.shiftKey && this.picked.has(id) && this.picked.size > 1) {
        const start = new Map([...this.picked].filter(p => this.ids.has(p)).map(p => [p, this.position(p)]));
        this.group = { dragged: id, start };
      }
    }, true);
    container.addEventListener('mousemove', e => { this.pointer = { x: e.clientX, y: e.clientY }; });
    container.addEventListener('mouseleave', () => { this.pointer = null; });
    container.addEventListener('dragover', e => e.preventDefault());
    container.addEventListener('drop', e => {
      e.preventDefault();
      const type = e.dataTransfer.getData('application/x-parley-block');
      if (!type) return;
      const at = this.toCanvas(e.clientX, e.clientY);
      this.report('OnBlockDropped', type, at.x, at.y);
    });
  }

  // Keyboard shortcuts of the builder, anywhere on the page but in a form field (where Ctrl+Z undoes typing).
  listen(root) {
    this.onKey = e => {
      if (e.target.closest?.('input, textarea, select, [contenteditable], .mud-input-control, .mud-popover')) return;
      if (e.target !== document.body && !root.contains(e.target)) return;
      const mod = e.ctrlKey || e.metaKey, key = e.key.toLowerCase();
      let shortcut = null;
      if (mod && key === 'z') shortcut = e.shiftKey ? 'redo' : 'undo';
      else if (mod && key === 'y') shortcut = 'redo';
      else if (mod && key === 'c') shortcut = 'copy';
      else if (mod && key === 'v') shortcut = 'paste';
      else if (!mod && !e.altKey && key === 'a') shortcut = 'add';
      else if (!mod && !e.altKey && key === 'n') shortcut = 'note';
      else if (isDeleteKey(e) && this.chosen().length > 0) shortcut = 'delete';
      else if (key === 'escape') shortcut = 'cancel';
      else if (!mod && !e.altKey && key.startsWith('arrow') && this.moveChosen(key)) { e.preventDefault(); return; }
      if (!shortcut) return;
      if (shortcut !== 'cancel') e.preventDefault();
      const at = (shortcut === 'add' || shortcut === 'note') && this.pointer ? this.toCanvas(this.pointer.x, this.pointer.y) : null;
      this.report('OnShortcut', shortcut, at ? [Math.round(at.x), Math.round(at.y)] : null);
    };
    document.addEventListener('keydown', this.onKey);
  }

  // The blocks a copy takes: the picked ones and the selected one.
  chosen() {
    const ids = new Set(this.picked);
    const selected = this.editor.node_selected?.dataset.flowId;
    if (selected) ids.add(selected);
    return [...ids].filter(id => this.ids.has(id));
  }

  position(id) {
    const node = this.editor.getNodeFromId(this.ids.get(id));
    return { x: node.pos_x, y: node.pos_y };
  }

  // Puts a block or note at (x, y) and redraws its wires.
  place(id, x, y) {
    const dfId = this.ids.get(id);
    const element = this.container.querySelector(`#node-${dfId}`);
    const data = this.editor.drawflow.drawflow[this.editor.module].data[dfId];
    data.pos_x = x;
    data.pos_y = y;
    element.style.left = x + 'px';
    element.style.top = y + 'px';
    this.editor.updateConnectionNodes('node-' + dfId);
  }

  followDragged() {
    const { dragged, start } = this.group;
    const now = this.position(dragged), from = start.get(dragged);
    const dx = now.x - from.x, dy = now.y - from.y;
    for (const [id, at] of start) {
      if (id !== dragged) this.place(id, at.x + dx, at.y + dy);
    }
  }

  // Arrow keys move the selected block and the picked ones by one grid step; answers false when nothing is chosen.
  moveChosen(key) {
    const ids = this.chosen();
    if (ids.length === 0) return false;
    const [dx, dy] = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] }[key] ?? [0, 0];
    if (dx === 0 && dy === 0) return false;
    for (const id of ids) {
      const at = this.position(id);
      this.place(id, at.x + dx * gridStep, at.y + dy * gridStep);
    }
    this.reportMoved(ids);
    return true;
  }

  // One report for blocks moved together, so undo takes them back in one step.
  reportMoved(ids) {
    const places = ids.map(id => this.position(id));
    this.report('OnBlocksMoved', ids, places.map(p => p.x), places.map(p => p.y));
  }

  pick(ids) {
    this.picked = new Set(ids);
    this.showPicked();
  }

  showPicked() {
    for (const [id, dfId] of this.ids) {
      const element = this.container.querySelector(`#node-${dfId}`);
      element?.classList.toggle('is-picked', this.picked.has(id));
    }
  }

  report(method, ...args) {
    this.dotnet.invokeMethodAsync(method, ...args);
  }

  portOf(node, outputClass) {
    return node.ports[Number(outputClass.replace('output_', '')) - 1];
  }

  toCanvas(clientX, clientY) {
    const rect = this.editor.precanvas.getBoundingClientRect();
    return { x: (clientX - rect.x) / this.editor.zoom, y: (clientY - rect.y) / this.editor.zoom };
  }

  // Refuses, as it is drawn, a wire the flow API would refuse: a port already wired, or a block wired to itself
  // without waiting for the visitor (a loop that would spin forever).
  connected(c) {
    if (this.quiet) return;
    const from = this.nodes.get(String(c.output_id));
    const to = this.nodes.get(String(c.input_id));
    const port = this.portOf(from, c.output_class);
    const wires = this.editor.getNodeFromId(c.output_id).outputs[c.output_class].connections;
    let reason = null;
    if (wires.length > 1) reason = `The port '${port}' of ${from.id} already leads to a block; a port leads to one block.`;
    else if (from.id === to.id && !from.waits) reason = `${from.id} cannot lead to itself: it does not wait for the visitor, so the loop would never stop.`;
    if (reason) {
      this.quiet++;
      try { this.editor.removeSingleConnection(c.output_id, c.input_id, c.output_class, c.input_class); } finally { this.quiet--; }
      this.report('OnWireRefused', reason);
      return;
    }
    this.report('OnWireAdded', from.id, port, to.id);
  }

  html(block) {
    return `<div class="flow-block" data-flow-id="${escapeHtml(block.id)}">
      <div class="flow-block__type">${escapeHtml(block.label)}${block.start ? ' <span class="flow-block__start">start</span>' : ''}</div>
      <div class="flow-block__title">${escapeHtml(block.id)}</div>
      <div class="flow-block__summary">${escapeHtml(block.summary)}</div>
      <div class="flow-block__errors" hidden></div></div>`;
  }

  // block: { id, type, label, summary, x, y, ports: [..], waits, start }
  addBlock(block) {
    this.quiet++;
    try {
      const dfId = this.editor.addNode(block.type, 1, block.ports.length, block.x, block.y, 'flow-node flow-node--' + block.type, { id: block.id }, this.html(block));
      this.nodes.set(String(dfId), { id: block.id, type: block.type, ports: block.ports, waits: block.waits });
      this.ids.set(block.id, dfId);
      this.labelPorts(dfId);
    } finally { this.quiet--; }
  }

  labelPorts(dfId) {
    const node = this.nodes.get(String(dfId));
    const element = this.container.querySelector(`#node-${dfId}`);
    element.setAttribute('data-flow-id', node.id);
    element.querySelectorAll('.outputs .output').forEach((output, i) => {
      output.dataset.port = node.ports[i];
      output.title = `${node.id}: ${node.ports[i]}`;
    });
  }

  // Redraws a block after its settings changed; its ports may have changed (a choice's options). Answers true when
  // a port other than the last ones went, so wires would sit on the wrong ports: then the caller loads the flow again.
  updateBlock(block) {
    const dfId = this.ids.get(block.id);
    if (dfId === undefined) return false;
    const node = this.nodes.get(String(dfId));
    const kept = Math.min(node.ports.length, block.ports.length);
    if (node.ports.slice(0, kept).some((port, i) => port !== block.ports[i])) return true;
    this.quiet++;
    try {
      const element = this.container.querySelector(`#node-${dfId} .drawflow_content_node`);
      element.innerHTML = this.html(block);
      this.editor.drawflow.drawflow.Home.data[dfId].html = element.innerHTML;
      let count = node.ports.length;
      while (count < block.ports.length) { this.editor.addNodeOutput(dfId); count++; }
      while (count > block.ports.length) { this.editor.removeNodeOutput(dfId, 'output_' + count); count--; }
      node.ports = block.ports;
      this.labelPorts(dfId);
    } finally { this.quiet--; }
    return false;
  }

  noteHtml(note) {
    return `<div class="flow-note" data-flow-id="${escapeHtml(note.id)}">
      <div class="flow-block__type">Note</div>
      <div class="flow-note__text">${escapeHtml(note.text)}</div>
      <div class="flow-block__errors" hidden></div></div>`;
  }

  // A sticky note is a drawflow node without ports: it drags, selects and deletes as a block does, but nothing wires to it.
  // note: { id, text, x, y }
  addNote(note) {
    this.quiet++;
    try {
      const dfId = this.editor.addNode('note', 0, 0, note.x, note.y, 'flow-node flow-node--note', { id: note.id }, this.noteHtml(note));
      this.nodes.set(String(dfId), { id: note.id, type: 'note', ports: [], waits: false });
      this.ids.set(note.id, dfId);
      this.labelPorts(dfId);
    } finally { this.quiet--; }
  }

  updateNote(note) {
    const dfId = this.ids.get(note.id);
    if (dfId === undefined) return;
    const element = this.container.querySelector(`#node-${dfId} .drawflow_content_node`);
    element.innerHTML = this.noteHtml(note);
    this.editor.drawflow.drawflow.Home.data[dfId].html = element.innerHTML;
  }

  addWire(from, port, to) {
    const fromId = this.ids.get(from), toId = this.ids.get(to);
    const index = this.nodes.get(String(fromId))?.ports.indexOf(port);
    if (fromId === undefined || toId === undefined || index < 0) return;
    this.quiet++;
    try { this.editor.addConnection(fromId, toId, 'output_' + (index + 1), 'input_1'); } finally { this.quiet--; }
  }

  removeBlock(id) {
    const dfId = this.ids.get(id);
    if (dfId === undefined) return;
    this.quiet++;
    try { this.editor.removeNodeId('node-' + dfId); } finally { this.quiet--; }
  }

  // view: { blocks: [...], wires: [{ from, port, to }], notes: [...] }
  load(view, keepView) {
    this.quiet++;
    try {
      this.editor.clear();
      this.nodes.clear();
      this.ids.clear();
    } finally { this.quiet--; }
    view.blocks.forEach(b => this.addBlock(b));
    view.wires.forEach(w => this.addWire(w.from, w.port, w.to));
    (view.notes ?? []).forEach(n => this.addNote(n));
    this.picked = new Set([...this.picked].filter(id => this.ids.has(id)));
    this.showPicked();
    if (this.diff) this.showDiff(this.diff);
    if (!keepView) requestAnimationFrame(() => this.fit());
  }

  // errors: { blockId: [messages] }; blocks not named have none.
  showErrors(errors) {
    for (const [id, dfId] of this.ids) {
      const element = this.container.querySelector(`#node-${dfId}`);
      const messages = errors[id] ?? [];
      element.classList.toggle('has-errors', messages.length > 0);
      const list = element.querySelector('.flow-block__errors');
      list.hidden = messages.length === 0;
      list.textContent = messages.length === 0 ? '' : `⚠ ${messages.length} problem${messages.length > 1 ? 's' : ''}: ${messages[0]}`;
    }
  }

  // diff: { added: [ids], changed: [ids] } marks blocks of a comparison; empty lists clear the marks.
  showDiff(diff) {
    this.diff = diff;
    for (const [id, dfId] of this.ids) {
      const element = this.container.querySelector(`#node-${dfId}`);
      element?.classList.toggle('is-added', diff.added.includes(id));
      element?.classList.toggle('is-changed', diff.changed.includes(id));
    }
  }

  showActive(id) {
    this.container.querySelectorAll('.drawflow-node.is-active').forEach(e => e.classList.remove('is-active'));
    const dfId = this.ids.get(id);
    if (dfId !== undefined) this.container.querySelector(`#node-${dfId}`)?.classList.add('is-active');
  }

  // Centres the canvas on a block and selects it, as a click would.
  focus(id) {
    const dfId = this.ids.get(id);
    if (dfId === undefined) return;
    const element = this.container.querySelector(`#node-${dfId}`);
    const node = this.editor.getNodeFromId(dfId);
    this.transform(this.editor.zoom, node.pos_x + element.offsetWidth / 2, node.pos_y + element.offsetHeight / 2);
    this.container.querySelectorAll('.drawflow-node.selected').forEach(e => e.classList.remove('selected'));
    element.classList.add('selected');
    this.editor.node_selected = element;
    this.report('OnBlockSelected', id);
  }

  // Puts canvas point (x, y) in the middle of the view at the given zoom (the precanvas scales about its centre).
  transform(zoom, x, y) {
    const editor = this.editor;
    const cx = editor.precanvas.clientWidth / 2, cy = editor.precanvas.clientHeight / 2;
    editor.zoom = editor.zoom_last_value = zoom;
    editor.canvas_x = zoom * (cx - x);
    editor.canvas_y = zoom * (cy - y);
    editor.precanvas.style.transform = `translate(${editor.canvas_x}px, ${editor.canvas_y}px) scale(${zoom})`;
  }

  fit() {
    const elements = [...this.container.querySelectorAll('.drawflow-node')];
    if (elements.length === 0) { this.transform(1, this.editor.precanvas.clientWidth / 2, this.editor.precanvas.clientHeight / 2); return; }
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const element of elements) {
      const node = this.editor.getNodeFromId(element.id.replace('node-', ''));
      minX = Math.min(minX, node.pos_x); minY = Math.min(minY, node.pos_y);
      maxX = Math.max(maxX, node.pos_x + element.offsetWidth + 60); maxY = Math.max(maxY, node.pos_y + element.offsetHeight);
    }
    const margin = 40;
    const zoom = Math.max(this.editor.zoom_min, Math.min(1, (this.container.clientWidth - 2 * margin) / (maxX - minX), (this.container.clientHeight - 2 * margin) / (maxY - minY)));
    this.transform(zoom, (minX + maxX) / 2, (minY + maxY) / 2);
  }

  zoomIn() { this.editor.zoom_in(); }
  zoomOut() { this.editor.zoom_out(); }

  // Where a new block goes: the middle of the view, shifted a little for each block so they do not stack.
  centre() {
    const rect = this.container.getBoundingClientRect();
    const at = this.toCanvas(rect.x + rect.width / 2 - 100, rect.y + rect.height / 2 - 40);
    const shift = (this.nodes.size % 6) * 30;
    return [Math.round(at.x + shift), Math.round(at.y + shift)];
  }

  dispose() {
    if (this.onKey) document.removeEventListener('keydown', this.onKey);
    this.container.replaceChildren();
    this.dotnet = { invokeMethodAsync() { } };
  }
}

// Palette items ([data-block-type]) can be dragged onto the canvas; dropped, the canvas reports the type and place.
export function makePaletteDraggable(palette) {
  palette.querySelectorAll('[data-block-type]').forEach(element => {
    element.draggable = true;
    element.addEventListener('dragstart', e => e.dataTransfer.setData('application/x-parley-block', element.dataset.blockType));
  });
}

export function focusFirstButton(element) {
  element.querySelector('button:not([disabled])')?.focus();
}
