// Entry point for hosts that embed just the live view (the Jenkins build page): mounts every element marked
// data-volt-workflow-view. Loaded as <script type="module" src=".../workflow-page.js">; no inline script needed.

import { mountWorkflowView } from './workflow-view.js';

for (const element of document.querySelectorAll('[data-volt-workflow-view]')) {
  try {
    mountWorkflowView(element);
  } catch (error) {
    element.textContent = error.message;
  }
}
