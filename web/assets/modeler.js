// The modeler page: bpmn-js + properties panel (Camunda 7) and dmn-js, with the lint's problems linked to elements.
import BpmnModeler from "bpmn-js/lib/Modeler";
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
} from "bpmn-js-properties-panel";
import CamundaBehaviorsModule from "camunda-bpmn-js-behaviors/lib/camunda-platform";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";
import DmnModeler from "dmn-js/lib/Modeler";
import camundaDmnModdle from "camunda-dmn-moddle/resources/camunda.json";
import "./modeler.css";

const PROBLEM = "batho-problem";

function byId(id) { return document.getElementById(id); }

class Editor {
  constructor(root) {
    this.root = root;
    this.files = JSON.parse(byId("modeler-files").textContent);
    this.tabs = root.querySelector("[data-tabs]");
    this.bpmnHost = root.querySelector("[data-bpmn]");
    this.dmnHost = root.querySelector("[data-dmn]");
    this.current = null;
    this.bpmn = new BpmnModeler({
      container: root.querySelector("[data-canvas]"),
      propertiesPanel: { parent: root.querySelector("[data-panel]") },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
        CamundaPlatformPropertiesProviderModule, CamundaBehaviorsModule],
      moddleExtensions: { camunda: camundaModdle },
    });
    this.dmn = new DmnModeler({
      container: root.querySelector("[data-dmn-canvas]"),
      common: { keyboard: { bindTo: window } },
      moddleExtensions: { camunda: camundaDmnModdle },
    });
    this.sources = { ...this.files };
    this.dirty = false;
    this.bpmn.on("commandStack.changed", () => { this.dirty = true; });
  }

  names() { return Object.keys(this.sources).sort((a, b) => (a.endsWith(".bpmn") ? -1 : 1) - (b.endsWith(".bpmn") ? -1 : 1) || a.localeCompare(b)); }

  renderTabs() {
    this.tabs.innerHTML = "";
    for (const name of this.names()) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = name;
      button.setAttribute("role", "tab");
      button.dataset.file = name;
      button.setAttribute("aria-selected", String(name === this.current));
      button.addEventListener("click", () => this.open(name));
      this.tabs.appendChild(button);
    }
  }

  async stash() {
    if (!this.current || this.current.endsWith(".form")) return;  // a Camunda Form is kept as uploaded
    if (this.current.endsWith(".bpmn")) {
      this.sources[this.current] = (await this.bpmn.saveXML({ format: true })).xml;
    } else {
      this.sources[this.current] = (await this.dmn.saveXML({ format: true })).xml;
    }
  }

  async open(name) {
    await this.stash();
    this.current = name;
    if (name.endsWith(".form")) {  // Camunda Forms are edited in Camunda Modeler's form editor, not here
      this.bpmnHost.hidden = true;
      this.dmnHost.hidden = true;
      this.status(name + " is a Camunda Form: it is deployed as uploaded. Edit it in Camunda Modeler's form "
        + "editor and upload it again to change it.");
      this.renderTabs();
      this.root.dataset.open = name;
      return;
    }
    const isBpmn = name.endsWith(".bpmn");
    this.bpmnHost.hidden = !isBpmn;
    this.dmnHost.hidden = isBpmn;
    try {
      if (isBpmn) {
        await this.bpmn.importXML(this.sources[name]);
        this.bpmn.get("canvas").zoom("fit-viewport", "auto");
      } else {
        await this.dmn.importXML(this.sources[name]);
        const decisionTable = this.dmn.getViews().find((v) => v.type === "decisionTable");
        if (decisionTable) await this.dmn.open(decisionTable);
      }
      this.status("");
    } catch (error) {
      this.status(name + " could not be opened in the editor: " + error.message, true);
    }
    this.renderTabs();
    this.markProblems(this.problems || []);
    this.root.dataset.open = name;
  }

  status(text, isError) {
    const box = byId("modeler-status");
    box.textContent = text;
    box.className = isError ? "flash flash-error" : "flash flash-info";
    box.hidden = !text;
  }

  async collect() {
    await this.stash();
    return { ...this.sources };
  }

  async select(file, elementId) {
    if (file && file !== this.current && this.sources[file] !== undefined) await this.open(file);
    if (!this.current || !elementId) return false;
    if (this.current.endsWith(".dmn")) return this.selectCell(elementId);
    const registry = this.bpmn.get("elementRegistry");
    const element = registry.get(elementId);
    if (!element) return false;
    const canvas = this.bpmn.get("canvas");
    this.bpmn.get("selection").select(element);
    canvas.scrollToElement(element);
    this.bpmnHost.scrollIntoView({ block: "nearest" });
    return true;
  }

  selectCell(elementId) {
    // dmn-js marks every table cell with the id of its rule entry.
    for (const old of this.dmnHost.querySelectorAll("." + PROBLEM)) old.classList.remove(PROBLEM);
    const cell = this.dmnHost.querySelector(`[data-element-id="${CSS.escape(elementId)}"]`);
    if (!cell) return false;
    cell.classList.add(PROBLEM);
    cell.scrollIntoView({ block: "center" });
    cell.focus();
    return true;
  }

  download() {
    if (!this.current) return;
    this.stash().then(() => {
      const blob = new Blob([this.sources[this.current]], { type: "application/xml" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = this.current;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
  }

  selectedIds() {
    if (!this.current || !this.current.endsWith(".bpmn")) return [];
    return this.bpmn.get("selection").get().map((element) => element.id);
  }

  markProblems(problems) {
    if (!this.current || !this.current.endsWith(".bpmn")) return;
    const registry = this.bpmn.get("elementRegistry");
    const canvas = this.bpmn.get("canvas");
    registry.forEach((el) => canvas.removeMarker(el, PROBLEM));
    for (const p of problems) {
      if (p.file === this.current && p.element_id && registry.get(p.element_id)) canvas.addMarker(p.element_id, PROBLEM);
    }
  }
}

function fillProblems(editor, box, shown, all) {
  const list = box.querySelector("ol");
  list.innerHTML = "";
  box.hidden = shown.length === 0;
  for (const problem of shown) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "problem";
    button.dataset.element = problem.element_id || "";
    button.dataset.file = problem.file || "";
    button.textContent = problem.message;
    button.addEventListener("click", async () => {
      const found = await editor.select(problem.file, problem.element_id);
      editor.markProblems(all);
      for (const other of document.querySelectorAll("button.problem")) other.removeAttribute("aria-current");
      button.setAttribute("aria-current", "true");
      if (!found && problem.element_id) editor.status("That element is not on this diagram.", true);
    });
    item.appendChild(button);
    list.appendChild(item);
  }
}

// Problems stop a deploy; warnings (severity "warning") are said under their own heading and do not.
function showProblems(editor, problems) {
  editor.problems = problems;
  const errors = problems.filter((p) => p.severity !== "warning");
  const warnings = problems.filter((p) => p.severity === "warning");
  const box = byId("modeler-problems");
  fillProblems(editor, box, errors, problems);
  const warningBox = byId("modeler-warnings");
  if (warningBox) fillProblems(editor, warningBox, warnings, problems);
  editor.markProblems(problems);
  if (errors.length) box.focus();
  else if (warnings.length && warningBox) warningBox.focus();
}

function answered(data) { return [...(data.problems || []), ...(data.warnings || [])]; }

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": byId("modeler").dataset.csrf },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = { message: "The server answered " + response.status + "." }; }
  return { ok: response.ok, status: response.status, data };
}

async function action(editor, kind) {
  const root = byId("modeler");
  if (root.dataset.busy === "true") return null;  // one check, save or deploy at a time
  root.dataset.busy = "true";
  // Our own buttons only: bpmn-js's palette entries carry data-action too.
  const buttons = root.querySelectorAll("[data-modeler-action]");
  for (const button of buttons) button.disabled = true;
  try {
    return await send(editor, root, kind);
  } catch (error) {
    editor.status("The server could not be reached; nothing was lost. Try again in a moment.", true);
    return null;
  } finally {
    root.dataset.busy = "false";
    for (const button of buttons) button.disabled = false;
  }
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

function renderDecisions(host, decisions) {
  if (!decisions.length) return;
  const section = element("section", undefined, "deploy-preview");
  section.appendChild(element("h3", "Decisions"));
  const list = element("ul", undefined, "change-list");
  for (const d of decisions) {
    const what = d.unchanged ? "unchanged, no new version" : d.current_version === null ? "a new decision (version 1)"
      : "version " + d.current_version + " → " + (d.current_version + 1);
    list.appendChild(element("li", d.name + " (" + d.file + "): " + what));
  }
  section.appendChild(list);
  host.appendChild(section);
}

function renderPreview(host, processes, note, decisions) {
  host.innerHTML = "";
  for (const p of processes) {
    const section = element("section", undefined, "deploy-preview");
    const heading = p.current_version === null ? p.name + ": a new process (version 1)"
      : p.name + ": version " + p.current_version + " → " + (p.current_version + 1);
    section.appendChild(element("h3", heading));
    if (p.unchanged) section.appendChild(element("p", "Nothing changed, so no new version will be made."));
    if (p.current_version !== null) {
      section.appendChild(element("p", p.running === 0 ? "No running case is affected."
        : plural(p.running, "running case stays", "running cases stay") + " on the version it started with."));
    }
    const list = element("ul", undefined, "change-list");
    for (const name of p.added) list.appendChild(element("li", "Added: " + name));
    for (const name of p.removed) list.appendChild(element("li", "Removed: " + name));
    for (const line of p.details) list.appendChild(element("li", line));
    if (list.children.length) section.appendChild(list);
    else if (p.current_version !== null && !p.unchanged) {
      section.appendChild(element("p", "No step, form, condition, timer or assignment changed (layout or documentation only)."));
    }
    if (p.untranslated.length) {
      section.appendChild(element("p", "Citizens will read these in English until they are translated:", "notice"));
      const missing = element("ul", undefined, "untranslated");
      for (const u of p.untranslated) missing.appendChild(element("li", "“" + u.text + "” — no " + u.missing.join(" or ")));
      section.appendChild(missing);
    }
    host.appendChild(section);
  }
  renderDecisions(host, decisions || []);
  if (note) host.appendChild(element("p", "Change note: " + note));
}

function confirmDeploy(processes, note, decisions) {
  const dialog = byId("deploy-confirm");
  renderPreview(dialog.querySelector("[data-preview]"), processes, note, decisions);
  return new Promise((resolve) => {
    const yes = dialog.querySelector("[data-confirm-deploy]");
    const no = dialog.querySelector("[data-cancel-deploy]");
    const done = (answer) => {
      yes.removeEventListener("click", onYes); no.removeEventListener("click", onNo);
      dialog.removeEventListener("cancel", onNo);
      dialog.close();
      resolve(answer);
    };
    const onYes = () => done(true);
    const onNo = () => done(false);
    yes.addEventListener("click", onYes); no.addEventListener("click", onNo); dialog.addEventListener("cancel", onNo);
    dialog.showModal();
    no.focus();
  });
}

async function send(editor, root, kind) {
  const files = await editor.collect();
  const note = byId("change-note") ? byId("change-note").value : "";
  const body = { files, draft_id: root.dataset.draftId || null, note,
    title: byId("draft-title") ? byId("draft-title").value : "" };
  if (kind === "deploy") {
    editor.status("Checking what this deploy changes…");
    const preview = await post(root.dataset.previewUrl, body);
    showProblems(editor, answered(preview.data));
    if (!preview.ok) {
      editor.status(preview.data.message || "That did not work.", true);
      return preview.data;
    }
    editor.status("Confirm the deploy: check what changes first.");
    if (!(await confirmDeploy(preview.data.processes || [], note, preview.data.decisions || []))) {
      editor.status("Not deployed. Nothing changed.");
      return null;
    }
    body.confirmed = true;
  }
  editor.status(kind === "deploy" ? "Deploying…" : kind === "save" ? "Saving the draft…" : "Checking…");
  const { ok, data } = await post(root.dataset[kind + "Url"], body);
  const problems = data.problems || [];
  showProblems(editor, answered(data));
  if (data.draft_id) {
    root.dataset.draftId = String(data.draft_id);
    // The address now names the draft, so a reload or a bookmark finds the saved work.
    if (root.dataset.draftBase) window.history.replaceState(null, "", root.dataset.draftBase + data.draft_id);
  }
  editor.status(data.message || (ok ? "Done." : "That did not work."), !ok || problems.length > 0);
  if (ok && data.redirect) window.location.assign(data.redirect);
  return data;
}

async function start() {
  const root = byId("modeler");
  if (!root) return;
  const editor = new Editor(root);
  window.BathoModeler = editor;
  const first = editor.names()[0];
  if (first) await editor.open(first);
  for (const button of root.querySelectorAll("[data-modeler-action]")) {
    button.addEventListener("click", () => action(editor, button.dataset.modelerAction));
  }
  const download = root.querySelector("[data-download]");
  if (download) download.addEventListener("click", () => editor.download());
  const initial = JSON.parse(byId("modeler-initial-problems").textContent);
  showProblems(editor, initial);
  root.dataset.ready = "true";
}

window.addEventListener("DOMContentLoaded", start);
