/** Entry point: starts the fit worker and renders the page. */
import { render } from 'preact';
import { App } from './App.js';
import { FitClient } from './worker/client.js';
import './styles.css';

const client = new FitClient(() => new Worker(new URL('./worker/fitWorker.ts', import.meta.url), { type: 'module' }));
render(<App client={client} />, document.getElementById('app')!);
