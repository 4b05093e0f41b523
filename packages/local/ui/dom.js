/* global document */
// The only way the viewer creates content: elements with properties, and strings as text nodes.
// Span-derived text therefore never reaches the page as HTML.

export const byId = (id) => document.getElementById(id);

export function el(tag, props, children) {
  const node = document.createElement(tag);
  if (props) {
    if (props.className) node.className = props.className;
    if (props.title !== undefined) node.title = String(props.title);
    if (props.tabIndex !== undefined) node.tabIndex = props.tabIndex;
    if (props.style) for (const [key, value] of Object.entries(props.style)) node.style[key] = value;
    if (props.dataset) for (const [key, value] of Object.entries(props.dataset)) node.dataset[key] = value;
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  if (children === undefined || children === null) return;
  if (!Array.isArray(children)) children = [children];
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}
