/**
 * The subset of `kustomize build` that infra/k8s uses, so the tests can render the base and the
 * overlays with no cluster and no kustomize binary. Anything outside the subset throws, so a
 * kustomization that starts using another feature fails the tests instead of rendering wrong.
 *
 * Supported fields: apiVersion, kind, resources (files and directories holding a
 * kustomization.yaml), namespace, labels (pairs, includeSelectors, includeTemplates), commonLabels,
 * patches (inline or file JSON 6902 operations with a target of kind/name/namespace/group/version),
 * replicas, images (name, newName, newTag, digest). Transformers run in kustomize's order: patches,
 * namespace, labels, replicas, images.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
};

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'commonLabels', 'patches', 'replicas', 'images']);

/** Kinds that have no namespace (the ones this repository could plausibly use). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

type Labels = { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean };
type PatchTarget = { kind?: string; name?: string; namespace?: string; group?: string; version?: string };
type Patch = { patch?: string; path?: string; target?: PatchTarget };
type Image = { name: string; newName?: string; newTag?: string; digest?: string };
type Kustomization = {
  resources?: string[];
  namespace?: string;
  labels?: Labels[];
  commonLabels?: Record<string, string>;
  patches?: Patch[];
  replicas?: { name: string; count: number }[];
  images?: Image[];
};

const readYamlFile = (file: string): K8sObject[] =>
  parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);

const kustomizationFile = (dir: string): string => {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`${dir}: no kustomization.yaml`);
};

/** `kustomize build <dir>`: the rendered objects, in resource order. */
export const build = (dir: string): K8sObject[] => {
  const file = kustomizationFile(dir);
  const k = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as Kustomization & Record<string, unknown>;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length) throw new Error(`${file}: ${unsupported.join(', ')} not supported by infra/kustomize-lite.ts`);

  let objects: K8sObject[] = [];
  for (const resource of k.resources ?? []) {
    const target = path.resolve(dir, resource);
    if (!fs.existsSync(target)) throw new Error(`${file}: resource ${resource} does not exist`);
    objects.push(...(fs.statSync(target).isDirectory() ? build(target) : readYamlFile(target)));
  }
  objects = structuredClone(objects);

  for (const patch of k.patches ?? []) applyPatch(dir, file, objects, patch);
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  const labels: Labels[] = [...(k.labels ?? [])];
  if (k.commonLabels) labels.push({ pairs: k.commonLabels, includeSelectors: true });
  for (const l of labels) applyLabels(objects, l);
  for (const r of k.replicas ?? []) {
    const matched = objects.filter((o) => WORKLOADS.has(o.kind) && o.metadata.name === r.name);
    if (!matched.length) throw new Error(`${file}: replicas: no workload named ${r.name}`);
    for (const o of matched) (o.spec as Record<string, unknown>).replicas = r.count;
  }
  for (const image of k.images ?? []) applyImage(objects, image);

  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new Error(`${file}: ${id} defined twice`);
    seen.add(id);
  }
  return objects;
};

const matches = (o: K8sObject, t: PatchTarget = {}): boolean => {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return (
    (t.kind === undefined || t.kind === o.kind) &&
    (t.name === undefined || new RegExp(`^(?:${t.name})$`).test(o.metadata.name)) &&
    (t.namespace === undefined || t.namespace === o.metadata.namespace) &&
    (t.group === undefined || t.group === group) &&
    (t.version === undefined || t.version === version)
  );
};

const applyPatch = (dir: string, file: string, objects: K8sObject[], p: Patch) => {
  const text = p.patch ?? (p.path ? fs.readFileSync(path.resolve(dir, p.path), 'utf8') : undefined);
  if (text === undefined) throw new Error(`${file}: a patch needs patch or path`);
  const ops = parse(text) as unknown;
  if (!Array.isArray(ops)) throw new Error(`${file}: only JSON 6902 patches (a list of operations) are supported`);
  const targets = objects.filter((o) => matches(o, p.target));
  if (!targets.length) throw new Error(`${file}: patch target ${JSON.stringify(p.target)} matches nothing`);
  for (const o of targets) for (const op of ops) applyOperation(o, op as Operation, file);
};

type Operation = { op: 'add' | 'replace' | 'remove' | 'test'; path: string; value?: unknown };

/** RFC 6902 add, replace, remove and test, which is what kustomize's JSON patches use. */
export const applyOperation = (doc: unknown, op: Operation, where = 'patch') => {
  const tokens = op.path
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop();
  if (last === undefined) throw new Error(`${where}: cannot ${op.op} the whole document`);
  let parent = doc as Record<string, unknown> | unknown[];
  for (const token of tokens) {
    const next = Array.isArray(parent) ? parent[Number(token)] : parent[token];
    if (next === null || typeof next !== 'object') throw new Error(`${where}: ${op.path}: ${token} does not exist`);
    parent = next as Record<string, unknown> | unknown[];
  }
  const exists = Array.isArray(parent) ? Number(last) < parent.length : last in parent;
  switch (op.op) {
    case 'add':
      if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
      else parent[last] = op.value;
      return;
    case 'replace':
      if (!exists) throw new Error(`${where}: replace ${op.path}: nothing there`);
      if (Array.isArray(parent)) parent[Number(last)] = op.value;
      else parent[last] = op.value;
      return;
    case 'remove':
      if (!exists) throw new Error(`${where}: remove ${op.path}: nothing there`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      return;
    case 'test': {
      const actual = Array.isArray(parent) ? parent[Number(last)] : parent[last];
      if (JSON.stringify(actual) !== JSON.stringify(op.value)) throw new Error(`${where}: test ${op.path} failed`);
      return;
    }
    default:
      throw new Error(`${where}: operation ${(op as { op: string }).op} not supported`);
  }
};

const addLabels = (target: Record<string, unknown>, key: string, pairs: Record<string, string>) => {
  target[key] = { ...((target[key] as Record<string, string> | undefined) ?? {}), ...pairs };
};

const applyLabels = (objects: K8sObject[], l: Labels) => {
  for (const o of objects) {
    addLabels(o.metadata, 'labels', l.pairs);
    const spec = o.spec as Record<string, unknown> | undefined;
    if (!spec) continue;
    const template = spec.template as { metadata?: Record<string, unknown> } | undefined;
    if (WORKLOADS.has(o.kind) && template && (l.includeTemplates || l.includeSelectors)) {
      template.metadata ??= {};
      addLabels(template.metadata, 'labels', l.pairs);
    }
    if (!l.includeSelectors) continue;
    if (o.kind === 'Service') addLabels(spec, 'selector', l.pairs);
    else if (spec.selector && typeof spec.selector === 'object') addLabels(spec.selector as Record<string, unknown>, 'matchLabels', l.pairs);
  }
};

/** Every container (and init container) of a workload's pod template. */
export const containersOf = (o: K8sObject): Record<string, unknown>[] => {
  const pod = ((o.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec ?? {}) as Record<string, unknown>;
  return [...((pod.initContainers as Record<string, unknown>[]) ?? []), ...((pod.containers as Record<string, unknown>[]) ?? [])];
};

/** Splits `registry:5000/a/b:tag@sha256:…` into name, tag and digest. */
export const parseImage = (image: string) => {
  const [withoutDigest, digest] = image.split('@');
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
};

const applyImage = (objects: K8sObject[], rule: Image) => {
  for (const o of objects) {
    for (const c of containersOf(o)) {
      const current = parseImage(String(c.image));
      if (current.name !== rule.name) continue;
      const name = rule.newName ?? current.name;
      if (rule.digest) c.image = `${name}@${rule.digest}`;
      else if (rule.newTag) c.image = `${name}:${rule.newTag}`;
      else c.image = `${name}${current.tag ? `:${current.tag}` : ''}${current.digest ? `@${current.digest}` : ''}`;
    }
  }
};
