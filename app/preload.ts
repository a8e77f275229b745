/**
 * Preload script (sandboxed, context-isolated): exposes `window.queuelab` and nothing else.
 * Bundled to dist-electron/preload.js as one CommonJS file that requires only 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '../src/ipc/channels';
import { createApi } from './preload-api';

contextBridge.exposeInMainWorld(API_GLOBAL, createApi(ipcRenderer, process.platform));
