// Independent verifier: Digital Bazaar's @digitalbazaar/vc with the eddsa-rdfc-2022
// cryptosuite, entirely offline (contexts and did:key as in loader.mjs; did:web documents may
// be given as files).
//
// Usage: node tests/interop/verify.mjs CREDENTIAL.json [DID-DOCUMENT.json ...]
//   Prints one JSON line {"verified": bool, "error": string|null} and exits 0 when verified,
//   1 when not, 2 on a usage or setup problem.
// Usage: node tests/interop/verify.mjs --batch CREDENTIALS.json [DID-DOCUMENT.json ...]
//   CREDENTIALS.json is an object {name: credential, ...}; prints one JSON line
//   {name: {"verified": bool, "error": string|null}, ...} and exits 0 (2 on a setup problem).
//   One process for many credentials: Node's start-up and the contexts are paid once.
// Install: npm ci --prefix interop

import {
  DataIntegrityProof, cryptosuite, failureMessage, offlineDocumentLoader, readJson,
  setupProblem, vc
} from './loader.mjs';

const args = process.argv.slice(2);
const batch = args[0] === '--batch';
const [credentialFile, ...didFiles] = batch ? args.slice(1) : args;
if(!credentialFile) {
  setupProblem('usage: verify.mjs [--batch] CREDENTIAL.json [DID-DOCUMENT.json ...]');
}

const didDocuments = new Map();
for(const file of didFiles) {
  const document = readJson(file);
  didDocuments.set(document.id, document);
}
const documentLoader = offlineDocumentLoader({didDocuments});

async function verify(credential) {
  try {
    const result = await vc.verifyCredential({
      credential,
      suite: new DataIntegrityProof({cryptosuite}),
      documentLoader,
      // Status lists are checked by transcaspian's own verifier; here only the proof.
      checkStatus: async () => ({verified: true})
    });
    return {verified: result.verified, error: failureMessage(result)};
  } catch(error) {
    return {verified: false, error: String(error?.message ?? error)};
  }
}

if(batch) {
  const results = {};
  for(const [name, credential] of Object.entries(readJson(credentialFile))) {
    results[name] = await verify(credential);
  }
  console.log(JSON.stringify(results));
  process.exit(0);
}
const result = await verify(readJson(credentialFile));
console.log(JSON.stringify(result));
process.exit(result.verified ? 0 : 1);
