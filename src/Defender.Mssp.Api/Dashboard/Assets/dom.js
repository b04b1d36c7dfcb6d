// Builds DOM nodes without ever parsing HTML: strings become text nodes, so data (tenant names are user input) can
// never become markup. The page's Content-Security-Policy enforces this with Trusted Types: every HTML-parsing sink throws.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element: h('td', { class: 'num' }, '42'). Props: class, text, dataset, on<event>, or attributes. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  applyProps(element, props);
  appendChildren(element, children);
  return element;
}

/** An SVG element with attributes: svg('rect', { x: 0, y: 0, width: 4, height: 8 }). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  applyProps(element, attributes);
  appendChildren(element, children);
  return element;
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  appendChildren(element, children);
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element;
}

function applyProps(element, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') {
      element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'text') {
      element.textContent = String(value);
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'href' && !/^[#/]/.test(String(value))) {
      // Only links inside this page or origin; a data value can never become a javascript: URL.
      throw new Error('Refusing a link that leaves the dashboard.');
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function appendChildren(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}
