/*
 * Entry of the modeler bundle (esbuild -> webapp/static/build/modeler.js, `make install`).
 * The editor page (templates/modeler/editor.html) holds one [data-modeler] element whose
 * data-* attributes say what to open and where to send it; see page.js.
 */
import { startEditorPage } from './page';

const root = document.querySelector('[data-modeler]');
if (root) {
  startEditorPage(root);
}
