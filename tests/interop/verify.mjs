// Independent verifier: Digital Bazaar's @digitalbazaar/vc with the eddsa-rdfc-2022
// cryptosuite, entirely offline. Contexts come from the npm context packages and from
// transcaspian's bundled folder (examples/v2 and our own); did:key documents are derived
// locally; did:web documents may be given as files.
//
// Usage: node tests/interop/verify.mjs CREDENTIAL.json [DID-DOCUMENT.json ...]
// Prints one JSON line {"verified": bool, "error": string|null} and exits 0 when verified,
// 1 when not, 2 on a usage or setup problem.
// Install: npm ci --prefix interop

import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const interop = join(root, 'interop');
const bundled = join(root, 'src', 'transcaspian', 'vc', 'contexts');
const require = createRequire(join(interop, 'package.json'));

async function load(name) {
  try {
    return await import(require.resolve(name));
  } catch(error) {
    console.log(JSON.stringify({
      verified: false,
      error: `cannot load ${name}: run "npm ci --prefix interop" (${error.message})`
    }));
    process.exit(2);
  }
}

const vc = await load('@digitalbazaar/vc');
const {DataIntegrityProof} = await load('@digitalbazaar/data-integrity');
const {cryptosuite} = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const Ed25519Multikey = await load('@digitalbazaar/ed25519-multikey');
const {JsonLdDocumentLoader} = await load('jsonld-document-loader');
const credentialsContext = await load('@digitalbazaar/credentials-context');
const dataIntegrityContext = await load('@digitalbazaar/data-integrity-context');
const multikeyContext = await load('@digitalbazaar/multikey-context');
const didContext = await load('did-context');

const [credentialFile, ...didFiles] = process.argv.slice(2);
if(!credentialFile) {
  console.log(JSON.stringify({verified: false, error: 'usage: verify.mjs CREDENTIAL.json'}));
  process.exit(2);
}

const readJson = file => JSON.parse(readFileSync(file, 'utf8'));
const loader = new JsonLdDocumentLoader();
for(const [url, document] of credentialsContext.contexts ?? credentialsContext.default.contexts) {
  loader.addStatic(url, document);
}
const addMap = pkg => {
  const contexts = pkg.contexts ?? pkg.default?.contexts;
  for(const [url, document] of contexts) {
    loader.addStatic(url, document);
  }
};
addMap(dataIntegrityContext);
addMap(multikeyContext);
addMap(didContext);
// Not on npm: the W3C examples context (test vectors) and transcaspian's own context.
loader.addStatic('https://www.w3.org/ns/credentials/examples/v2',
  readJson(join(bundled, 'credentials-examples-v2.jsonld')));
loader.addStatic('https://transcaspian.example/contexts/v1',
  readJson(join(bundled, 'transcaspian-v1.jsonld')));

const didDocuments = new Map();
for(const file of didFiles) {
  const document = readJson(file);
  didDocuments.set(document.id, document);
}

const staticLoader = loader.build();
async function documentLoader(url) {
  const [did, fragment] = url.split('#');
  if(did.startsWith('did:key:')) {
    const multikey = did.slice('did:key:'.length);
    const key = await Ed25519Multikey.from({
      id: `${did}#${multikey}`, controller: did, publicKeyMultibase: multikey
    });
    const method = await key.export({publicKey: true, includeContext: true});
    const document = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [{...method, '@context': undefined}],
      assertionMethod: [method.id],
      authentication: [method.id]
    };
    delete document.verificationMethod[0]['@context'];
    const result = fragment ? {...method} : document;
    return {contextUrl: null, documentUrl: url, document: result};
  }
  if(didDocuments.has(did)) {
    const document = didDocuments.get(did);
    const result = fragment ?
      {'@context': document['@context'],
        ...document.verificationMethod.find(m => m.id === url)} :
      document;
    return {contextUrl: null, documentUrl: url, document: result};
  }
  return staticLoader(url); // throws for anything not bundled: no network
}

const suite = new DataIntegrityProof({cryptosuite});
let result;
try {
  result = await vc.verifyCredential({
    credential: readJson(credentialFile),
    suite,
    documentLoader,
    // Status lists are checked by transcaspian's own verifier; here only the proof.
    checkStatus: async () => ({verified: true})
  });
} catch(error) {
  console.log(JSON.stringify({verified: false, error: String(error?.message ?? error)}));
  process.exit(1);
}
const error = result.verified ? null :
  (result.error?.errors ?? [result.error]).map(e => e?.message ?? String(e)).join('; ');
console.log(JSON.stringify({verified: result.verified, error}));
process.exit(result.verified ? 0 : 1);
