#!/usr/bin/env node
// The `tessera` command: runs the TypeScript sources through tsx's loader (a dependency).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
