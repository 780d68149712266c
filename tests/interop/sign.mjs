// Independent issuer: signs credentials with Digital Bazaar's @digitalbazaar/vc and the
// eddsa-rdfc-2022 cryptosuite (safe mode: a term no context defines is refused, and
// rdfDirection i18n-datatype), entirely offline, with the document loader of loader.mjs.
//
// Usage: node tests/interop/sign.mjs [OPTIONS] CREDENTIAL.json
//   Prints the signed credential (one JSON line); exits 0, or 1 when Digital Bazaar's stack
//   refuses to sign it (the reason on stderr), 2 on a usage or setup problem.
// Usage: node tests/interop/sign.mjs [OPTIONS] --batch CREDENTIALS.json
//   CREDENTIALS.json is an object {name: credential, ...}; prints one JSON line
//   {"did", "verificationMethod", "credentials": {name: signed credential | {"error": msg}}}
//   and exits 0 (2 on a setup problem). One Node process signs the whole batch.
// Options:
//   --secret-key z3u2...  the Ed25519 key: a Multikey secretKeyMultibase (0x8026 + 32-byte seed,
//                         what transcaspian.vc.keys.private_key_to_multibase writes); without it
//                         a key is generated
//   --verification-method URL
//                         the proof's verificationMethod (default: the key's did:key method,
//                         did:key:z6Mk...#z6Mk...)
//   --created ISO         the proof's created time (default: now)
// A credential without "issuer" is issued by the key's controller (its did:key by default).
// Install: npm ci --prefix interop

import {randomBytes} from 'node:crypto';

import {
  DataIntegrityProof, Ed25519Multikey, cryptosuite, offlineDocumentLoader, readJson,
  setupProblem, vc
} from './loader.mjs';

const USAGE = 'usage: sign.mjs [--secret-key z3u2...] [--verification-method URL] ' +
  '[--created ISO] [--batch] CREDENTIAL.json';

const options = {batch: false};
const args = process.argv.slice(2);
while(args.length && args[0].startsWith('--')) {
  const option = args.shift();
  if(option === '--batch') {
    options.batch = true;
  } else if(['--secret-key', '--verification-method', '--created'].includes(option) &&
    args.length) {
    options[option.slice(2)] = args.shift();
  } else {
    setupProblem(`${USAGE} (unknown option ${option})`);
  }
}
if(args.length !== 1) {
  setupProblem(USAGE);
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(text) {
  let value = 0n;
  for(const character of text) {
    const digit = BASE58.indexOf(character);
    if(digit < 0) {
      throw new Error(`${JSON.stringify(character)} is not a base58 digit`);
    }
    value = value * 58n + BigInt(digit);
  }
  const bytes = [];
  for(; value > 0n; value >>= 8n) {
    bytes.unshift(Number(value & 0xffn));
  }
  const zeros = text.length - text.replace(/^1+/, '').length;
  return Uint8Array.from([...new Array(zeros).fill(0), ...bytes]);
}

function seedOf(secretKeyMultibase) {
  if(!secretKeyMultibase) {
    return randomBytes(32);
  }
  let decoded;
  try {
    decoded = secretKeyMultibase.startsWith('z') ?
      base58Decode(secretKeyMultibase.slice(1)) : null;
  } catch {
    decoded = null;
  }
  if(!decoded || decoded.length !== 34 || decoded[0] !== 0x80 || decoded[1] !== 0x26) {
    return setupProblem(
      '--secret-key: not an Ed25519 secretKeyMultibase (z + base58 of 0x8026 and 32 bytes)');
  }
  return decoded.slice(2);
}

const seed = seedOf(options['secret-key']);
const {publicKeyMultibase} = await Ed25519Multikey.generate({seed});
const method = options['verification-method'] ??
  `did:key:${publicKeyMultibase}#${publicKeyMultibase}`;
const controller = method.split('#')[0];
const keyPair = await Ed25519Multikey.generate({id: method, controller, seed});
if(options.created !== undefined && isNaN(new Date(options.created))) {
  setupProblem(`--created: ${options.created} is not a date`);
}

const documentLoader = offlineDocumentLoader();

async function sign(credential) {
  const unsigned = 'issuer' in credential ? credential : {...credential, issuer: controller};
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite, date: options.created
  });
  return vc.issue({credential: unsigned, suite, documentLoader});
}

const input = readJson(args[0]);
if(options.batch) {
  const credentials = {};
  for(const [name, credential] of Object.entries(input)) {
    try {
      credentials[name] = await sign(credential);
    } catch(error) {
      credentials[name] = {error: String(error?.message ?? error)};
    }
  }
  console.log(JSON.stringify({did: controller, verificationMethod: method, credentials}));
  process.exit(0);
}
try {
  console.log(JSON.stringify(await sign(input)));
} catch(error) {
  console.error(String(error?.message ?? error));
  process.exit(1);
}
