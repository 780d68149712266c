// What sign.mjs and verify.mjs share: Digital Bazaar's packages, loaded from interop/ (installed
// by `npm ci --prefix interop`), and an offline JSON-LD document loader. Contexts come from the
// npm context packages and from transcaspian's bundled folder (examples/v2 and our own);
// did:key documents are derived locally; did:web documents may be given. Anything else is
// refused: nothing is fetched.

import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const interop = join(root, 'interop');
const bundled = join(root, 'src', 'transcaspian', 'vc', 'contexts');
const require = createRequire(join(interop, 'package.json'));

export const readJson = file => JSON.parse(readFileSync(file, 'utf8'));

// Prints one JSON line {"verified": false, "error": ...} and exits 2: the caller's setup is
// incomplete (the shape verify.mjs has always answered with).
export function setupProblem(message) {
  console.log(JSON.stringify({verified: false, error: message}));
  process.exit(2);
}

export async function load(name) {
  try {
    return await import(require.resolve(name));
  } catch(error) {
    return setupProblem(
      `cannot load ${name}: run "npm ci --prefix interop" (${error.message})`);
  }
}

export const vc = await load('@digitalbazaar/vc');
export const {DataIntegrityProof} = await load('@digitalbazaar/data-integrity');
export const {cryptosuite} = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
export const Ed25519Multikey = await load('@digitalbazaar/ed25519-multikey');
const {JsonLdDocumentLoader} = await load('jsonld-document-loader');
const contextPackages = [
  await load('@digitalbazaar/credentials-context'),
  await load('@digitalbazaar/data-integrity-context'),
  await load('@digitalbazaar/multikey-context'),
  await load('did-context')
];

// Not on npm: the W3C examples context (test vectors) and transcaspian's own context.
const BUNDLED = {
  'https://www.w3.org/ns/credentials/examples/v2': 'credentials-examples-v2.jsonld',
  'https://transcaspian.example/contexts/v1': 'transcaspian-v1.jsonld'
};

function staticLoader() {
  const loader = new JsonLdDocumentLoader();
  for(const pkg of contextPackages) {
    for(const [url, document] of pkg.contexts ?? pkg.default?.contexts) {
      loader.addStatic(url, document);
    }
  }
  for(const [url, file] of Object.entries(BUNDLED)) {
    loader.addStatic(url, readJson(join(bundled, file)));
  }
  return loader.build();
}

// The did:key DID document of an Ed25519 Multikey key pair (Multikey form), or of a did.
export async function didKeyDocument(did) {
  const multikey = did.slice('did:key:'.length);
  const key = await Ed25519Multikey.from({
    id: `${did}#${multikey}`, controller: did, publicKeyMultibase: multikey
  });
  const method = await key.export({publicKey: true, includeContext: true});
  const {'@context': _, ...bare} = method;
  return {
    method,
    document: {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [bare],
      assertionMethod: [method.id],
      authentication: [method.id]
    }
  };
}

// A documentLoader for @digitalbazaar/vc: bundled contexts, did:key derived locally, and the
// given did:web documents (a Map from DID to document). Throws for any other URL.
export function offlineDocumentLoader({didDocuments = new Map()} = {}) {
  const contexts = staticLoader();
  return async function documentLoader(url) {
    const [did, fragment] = url.split('#');
    if(did.startsWith('did:key:')) {
      const {method, document} = await didKeyDocument(did);
      return {contextUrl: null, documentUrl: url, document: fragment ? method : document};
    }
    if(didDocuments.has(did)) {
      const document = didDocuments.get(did);
      const result = fragment ?
        {'@context': document['@context'],
          ...document.verificationMethod.find(m => m.id === url)} :
        document;
      return {contextUrl: null, documentUrl: url, document: result};
    }
    return contexts(url); // throws for anything not bundled: no network
  };
}

// The messages of a failed verification result, joined.
export function failureMessage(result) {
  if(result.verified) {
    return null;
  }
  const errors = result.error?.errors ?? [result.error];
  return errors.map(e => e?.message ?? String(e)).join('; ');
}
