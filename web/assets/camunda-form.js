// A task showing a Camunda Form: form-js draws it over Batho's own fields (which stay the fallback without
// JavaScript). On submit form-js checks the values, then they go into Batho's fields and the page posts as ever;
// the server checks them again against the same form (engine/bpmn/camunda_forms.py).
import "@bpmn-io/form-js-viewer/dist/assets/form-js.css";
import { Form } from "@bpmn-io/form-js-viewer";

function json(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function copyInto(formElement, data) {
  for (const [key, value] of Object.entries(data)) {
    const input = formElement.elements.namedItem(key);
    if (!input) continue;
    if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = value === null || value === undefined ? "" : String(value);
  }
}

async function start() {
  const container = document.querySelector("[data-camunda-form]");
  const schema = json("camunda-form-schema");
  if (!container || !schema) return;
  const taskForm = container.closest("form");
  const data = json("camunda-form-data") || {};
  const form = new Form({ container });
  await form.importSchema(schema, data);
  // Batho's own inputs for the same fields give way to the drawn form (their values still carry the post).
  for (const field of taskForm.querySelectorAll("[data-batho-field]")) field.hidden = true;
  container.hidden = false;
  taskForm.addEventListener("submit", (event) => {
    const { data: values, errors } = form.submit();
    if (Object.keys(errors).length) {
      event.preventDefault();
      return;
    }
    copyInto(taskForm, values);
  });
}

start();
