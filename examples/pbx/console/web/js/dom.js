// DOM building without innerHTML: every string becomes a text node or an attribute
// value, so names and numbers coming from the PBX can never inject markup.

/**
 * h('span', {class: 'badge', title: 'x'}, 'text', childNode)
 * Props: class, text, dataset (object), on<event> (listener), anything else is an
 * attribute (true → empty attribute, null/false → omitted).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's content with the given children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Toggles the `hidden` attribute (CSS forces display:none for it). */
export function show(el, visible) {
  el.hidden = !visible;
}
