// The case page's diagram: bpmn-js NavigatedViewer with markers on active and completed elements.
// Contract: window.BathoDiagram.view(container, bpmnXml, {active: [ids], done: [ids]}) -> Promise<viewer>.
import NavigatedViewer from "bpmn-js/lib/NavigatedViewer";
import "./viewer.css";

// The stylesheet sits next to this script; pages that include only the script get it added once.
const STYLESHEET = document.currentScript ? document.currentScript.src.replace(/\.js(\?.*)?$/, ".css") : null;

function ensureStyles() {
  if (!STYLESHEET || document.querySelector('link[data-batho-diagram]')) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLESHEET;
  link.dataset.bathoDiagram = "true";
  document.head.appendChild(link);
}

const ACTIVE = "batho-active";
const DONE = "batho-done";

function mark(viewer, ids, marker) {
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  for (const id of ids || []) {
    if (registry.get(id)) canvas.addMarker(id, marker);
  }
}

function describe(viewer, ids) {
  const registry = viewer.get("elementRegistry");
  return (ids || []).map((id) => registry.get(id))
    .filter(Boolean).map((el) => (el.businessObject && el.businessObject.name) || el.id);
}

async function view(container, xml, state = {}) {
  if (!container) throw new Error("BathoDiagram.view: no container element");
  ensureStyles();
  container.classList.add("batho-diagram");
  container.innerHTML = "";
  const viewer = new NavigatedViewer({ container });
  try {
    await viewer.importXML(xml);
  } catch (error) {
    container.textContent = "The diagram could not be shown: " + error.message;
    container.setAttribute("role", "alert");
    throw error;
  }
  mark(viewer, state.done, DONE);
  mark(viewer, state.active, ACTIVE);
  viewer.get("canvas").zoom("fit-viewport", "auto");
  // A text alternative for screen readers: the diagram itself is an SVG picture.
  const active = describe(viewer, state.active);
  container.setAttribute("role", "figure");  // not "img": the viewer keeps focusable parts inside
  container.setAttribute("aria-label", active.length
    ? "Process diagram. Current step: " + active.join(", ") + "."
    : "Process diagram.");
  container.dataset.ready = "true";
  return viewer;
}

window.BathoDiagram = { view, ACTIVE, DONE };
