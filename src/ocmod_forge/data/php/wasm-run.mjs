// Runs one PHP version compiled to WebAssembly (the @php-wasm npm packages) in one Node process.
//
//   node wasm-run.mjs --modules DIR --php 8.2 version
//   node wasm-run.mjs --modules DIR --php 8.2 lint FILE...     (or: lint - with a JSON list on stdin)
//   node wasm-run.mjs --modules DIR --php 8.2 cli SCRIPT [ARG...]
//
// DIR is the node_modules folder holding @php-wasm/universal and @php-wasm/node-X-Y (installed
// from tools/php-wasm/package-lock.json). The host folders that hold the given paths and the
// current folder are mounted at the same paths inside PHP, so messages name the real files.
//
// lint: prints lint.php's JSON, one request per file so that each file is compiled alone, as
// `php -l FILE` would (a function declared in one file never clashes with the next).
// cli: runs the script as `php SCRIPT ARG...` would and exits with its status.
// Exit status 3: the runtime could not be loaded (bad version, missing package).

import { readFileSync, realpathSync, existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// PHP runs here for a second or two: V8's optimising WebAssembly compiler would spend more time
// (on every core) than it saves; its baseline compiler alone makes a run 2-3 times cheaper.
setFlagsFromString('--liftoff-only');

const HERE = dirname(fileURLToPath(import.meta.url));

function fail(message, status = 3) {
  process.stderr.write(`wasm-run: ${message}\n`);
  process.exit(status);
}

function parseArgs(argv) {
  const options = { modules: null, php: null };
  let i = 0;
  while (i < argv.length && argv[i].startsWith('--')) {
    const key = argv[i].slice(2);
    if (!(key in options) || i + 1 >= argv.length) fail(`unknown or incomplete option ${argv[i]}`, 2);
    options[key] = argv[i + 1];
    i += 2;
  }
  if (!options.modules || !options.php || i >= argv.length) fail('usage: wasm-run.mjs --modules DIR --php X.Y version|lint|cli ...', 2);
  return { ...options, command: argv[i], rest: argv.slice(i + 1) };
}

// Each package's ESM entry, read from its package.json so no bare specifier resolution is needed
// (this script does not live beside the node_modules folder).
async function importPackage(modules, name) {
  const folder = join(modules, ...name.split('/'));
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const entry = manifest.exports?.['.']?.import ?? manifest.module ?? manifest.main;
  return import(pathToFileURL(join(folder, entry)).href);
}

async function loadPHP(modules, version) {
  if (!/^\d+\.\d+$/.test(version)) fail(`bad PHP version ${version}`);
  let universal, build;
  try {
    universal = await importPackage(modules, '@php-wasm/universal');
    build = await importPackage(modules, `@php-wasm/node-${version.replace('.', '-')}`);
  } catch (error) {
    fail(`PHP ${version} is not installed in ${modules}: ${error.message}`);
  }
  const runtime = await universal.loadPHPRuntime(await build.getPHPLoaderModule(), {
    // Emscripten would end the Node process on PHP's exit(); a thrown error lets us report it.
    quit(code, error) {
      throw error;
    },
  });
  const php = new universal.PHP(runtime);
  // The "cli" SAPI name turns OPcache on (opcache_compile_file) and defines STDIN/STDOUT/STDERR.
  await php.setSapiName('cli');
  return php;
}

// Mounts the top-level host folder of every path so that absolute paths mean the same inside.
async function mountHostFolders(php, paths) {
  const tops = new Set();
  for (const path of paths) {
    const absolute = resolve(path);
    const top = absolute.split(sep)[1];
    if (top && top !== 'dev' && top !== 'proc' && existsSync(`/${top}`)) tops.add(`/${top}`);
  }
  for (const top of [...tops].sort()) {
    const root = realpathSync(top);
    await php.mount(top, (_php, FS, vfsPath) => {
      if (!FS.analyzePath(vfsPath).exists) FS.mkdirTree(vfsPath);
      FS.mount(FS.filesystems.NODEFS, { root }, vfsPath);
      return () => FS.unmount(vfsPath);
    });
  }
}

function phpString(text) {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function lint(php, files) {
  const script = join(HERE, 'lint.php');
  await mountHostFolders(php, [script, ...files]);
  const out = { php: null, results: {}, notes: {} };
  for (const file of files) {
    const code = `<?php
      require ${phpString(script)};
      ocmod_forge_lint_settings();
      echo json_encode(ocmod_forge_lint(array(${phpString(resolve(file))})));
      exit(0);`;
    let response;
    try {
      response = await php.run({ code });
    } catch (error) {
      response = error.response;
      if (!response) throw error;
    }
    const answer = JSON.parse(response.text);
    out.php = answer.php;
    for (const [path, value] of Object.entries(answer.results)) out.results[path] = value;
    for (const [path, value] of Object.entries(answer.notes)) out.notes[path] = value;
  }
  if (out.php === null) out.php = await phpVersion(php);
  process.stdout.write(JSON.stringify(out));
}

async function phpVersion(php) {
  const response = await php.run({ code: '<?php echo PHP_VERSION;' });
  return response.text;
}

async function pipe(stream, target) {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    target.write(value);
  }
}

async function cli(php, script, args) {
  await mountHostFolders(php, [process.cwd(), script, ...args.filter((arg) => arg.startsWith('/') || existsSync(arg))]);
  php.chdir(process.cwd());
  const response = await php.cli(['php', resolve(script), ...args]);
  await Promise.all([pipe(response.stdout, process.stdout), pipe(response.stderr, process.stderr)]);
  return response.exitCode;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const { modules, php: version, command, rest } = parseArgs(process.argv.slice(2));
const php = await loadPHP(resolve(modules), version);
if (command === 'version') {
  process.stdout.write(`${await phpVersion(php)}\n`);
} else if (command === 'lint') {
  const files = rest.length === 1 && rest[0] === '-' ? JSON.parse(await readStdin()) : rest;
  await lint(php, files);
} else if (command === 'cli') {
  if (rest.length === 0) fail('cli needs a script', 2);
  process.exitCode = await cli(php, rest[0], rest.slice(1));
} else {
  fail(`unknown command ${command}`, 2);
}
