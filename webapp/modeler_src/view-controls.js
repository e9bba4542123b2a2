/*
 * Zoom in, zoom out and fit, as buttons; fitting leaves the palette's strip free, so that
 * the palette (top left of the canvas) never covers the diagram it was fitted to.
 */
const MARGIN = 24;

/** Fits the whole diagram into the canvas right of the palette (never above 100 %). */
export function fitBesidePalette(modeler) {
  const canvas = modeler.get('canvas');
  canvas.zoom('fit-viewport', 'auto');
  const container = canvas.getContainer();
  const palette = container.querySelector('.djs-palette');
  const left = palette ? palette.offsetLeft + palette.offsetWidth + MARGIN : MARGIN;
  const { inner, outer } = canvas.viewbox();
  if (!inner.width || !inner.height || outer.width <= left + MARGIN) {
    return;
  }
  const scale = Math.min((outer.width - left - MARGIN) / inner.width, (outer.height - 2 * MARGIN) / inner.height, 1);
  canvas.viewbox({
    x: inner.x - left / scale,
    y: inner.y - MARGIN / scale,
    width: outer.width / scale,
    height: outer.height / scale,
  });
}

export function bindViewControls(modeler, root) {
  const canvas = modeler.get('canvas');
  const zoomBy = factor => canvas.zoom(Math.min(4, Math.max(0.2, canvas.zoom() * factor)));
  root.querySelector('#zoom-in-button').addEventListener('click', () => zoomBy(1.25));
  root.querySelector('#zoom-out-button').addEventListener('click', () => zoomBy(0.8));
  root.querySelector('#zoom-fit-button').addEventListener('click', () => fitBesidePalette(modeler));

  const simulation = root.querySelector('#simulation-button');
  simulation.addEventListener('click', () => modeler.get('toggleMode').toggleMode());
  modeler.on('tokenSimulation.toggleMode', ({ active }) => {
    simulation.setAttribute('aria-pressed', String(active));
    root.dataset.simulation = active ? 'on' : 'off';
  });
}
