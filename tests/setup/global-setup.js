// Jest loads global setup outside its ESM transform, so the TypeScript is loaded through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const services = await tsImport('./services.setup.ts', import.meta.url);
  await services.setUp();
  globalThis.__argusServices = services;
}
