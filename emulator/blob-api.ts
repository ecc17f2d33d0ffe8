// The upload endpoint, behaving like Azure Blob Storage behind a SAS URL: Put Blob
// (x-ms-blob-type: BlockBlob required), Put Block and Put Block List, 201 with
// x-ms-version-id, XML errors. The signature must match the one handed out with the deploy.
import type { EmuReply, EmuRequest } from './http-types.js';
import type { Model } from './model.js';

export function azureError(
  req: EmuRequest,
  status: number,
  code: string,
  message: string,
): EmuReply {
  return {
    status,
    headers: {
      'content-type': 'application/xml',
      'x-ms-request-id': req.requestId,
      'x-ms-error-code': code,
    },
    text: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${req.requestId}</Message></Error>`,
  };
}

/** `/blobs/<org>/<deployment>/<deploy>/<dags|bundle>` */
export function handleBlob(model: Model, req: EmuRequest): EmuReply {
  const [, , orgId, deploymentId, deployId, target, ...rest] = req.path.split('/');
  const record = model.deploys.get(deployId ?? '');
  const valid =
    record &&
    !rest.length &&
    record.deploy.deploymentId === deploymentId &&
    model.deployments.get(deploymentId)?.dep.organizationId === orgId;
  const url =
    target === 'dags'
      ? record?.deploy.dagsUploadUrl
      : target === 'bundle'
        ? record?.deploy.bundleUploadUrl
        : undefined;
  if (!valid || !url)
    return azureError(req, 404, 'ResourceNotFound', 'The specified resource does not exist.');
  if (req.query.get('sig') !== record.sig || !req.query.get('sv')) {
    return azureError(
      req,
      403,
      'AuthenticationFailed',
      'Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.',
    );
  }
  if (req.method !== 'PUT')
    return azureError(
      req,
      405,
      'UnsupportedHttpVerb',
      "The resource doesn't support the specified HTTP verb.",
    );
  const kind = target as 'dags' | 'bundle';
  const comp = req.query.get('comp');
  const blobKey = `${deployId}/${kind}`;
  const headers = (versionId?: string) => ({
    'x-ms-request-id': req.requestId,
    'x-ms-version': '2023-11-03',
    etag: `"0x${Date.now().toString(16).toUpperCase()}"`,
    'last-modified': new Date(req.now).toUTCString(),
    ...(versionId ? { 'x-ms-version-id': versionId } : {}),
  });

  if (comp === null) {
    const type = req.headers['x-ms-blob-type'];
    if (!type)
      return azureError(
        req,
        400,
        'MissingRequiredHeader',
        "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.",
      );
    if (type !== 'BlockBlob')
      return azureError(
        req,
        400,
        'InvalidHeaderValue',
        'The value for one of the HTTP headers is not in the correct format: x-ms-blob-type.',
      );
    const blob = model.storeBlob(record, kind, req.body, req.headers['content-type'], req.now);
    return { status: 201, headers: headers(blob.versionId) };
  }

  if (comp === 'block') {
    const id = req.query.get('blockid');
    if (!id || !/^[A-Za-z0-9+/]+={0,2}$/.test(id) || Buffer.from(id, 'base64').length > 64) {
      return azureError(
        req,
        400,
        'InvalidQueryParameterValue',
        'Value for one of the query parameters specified in the request URI is invalid: blockid.',
      );
    }
    const blocks = model.blocks.get(blobKey) ?? new Map<string, Buffer>();
    const other = blocks.keys().next().value;
    if (other !== undefined && other.length !== id.length) {
      return azureError(
        req,
        400,
        'InvalidBlobOrBlock',
        'The specified blob or block content is invalid (block ids of one blob must have equal length).',
      );
    }
    blocks.set(id, req.body);
    model.blocks.set(blobKey, blocks);
    return { status: 201, headers: headers() };
  }

  if (comp === 'blocklist') {
    const xml = req.body.toString('utf8');
    if (!/<BlockList>/.test(xml))
      return azureError(
        req,
        400,
        'InvalidXmlDocument',
        'XML specified is not syntactically valid.',
      );
    const wanted = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)];
    const uncommitted = model.blocks.get(blobKey) ?? new Map<string, Buffer>();
    const committed = model.committedBlocks.get(blobKey) ?? new Map<string, Buffer>();
    const parts: Buffer[] = [];
    const next = new Map<string, Buffer>();
    for (const [, list, id] of wanted) {
      // Latest: the uncommitted block if there is one, else the committed one (so a
      // repeated commit after a lost reply still works, as on Azure).
      const b =
        list === 'Committed'
          ? committed.get(id)
          : list === 'Uncommitted'
            ? uncommitted.get(id)
            : (uncommitted.get(id) ?? committed.get(id));
      if (!b)
        return azureError(req, 400, 'InvalidBlockList', 'The specified block list is invalid.');
      parts.push(b);
      next.set(id, b);
    }
    model.blocks.delete(blobKey);
    model.committedBlocks.set(blobKey, next);
    const contentType = req.headers['x-ms-blob-content-type'];
    const blob = model.storeBlob(
      record,
      kind,
      Buffer.concat(parts),
      Array.isArray(contentType) ? contentType[0] : contentType,
      req.now,
    );
    return { status: 201, headers: headers(blob.versionId) };
  }

  return azureError(
    req,
    400,
    'InvalidQueryParameterValue',
    `Value for one of the query parameters specified in the request URI is invalid: comp.`,
  );
}
