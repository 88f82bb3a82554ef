/**
 * Runs botocore (the library under boto3 and the pip AWS CLI) on our wire format: its Query serializer
 * builds requests, its Query parser reads our XML, and IAM's after-call handler decodes policy documents,
 * all with the same vendored model files. One python3 process serves a whole batch of jobs.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MODEL_VERSIONS, type ServiceName } from '../../src/protocol/index.js';

export type BotocoreJob =
  | { kind: 'serialize'; service: ServiceName; operation: string; params: Record<string, unknown> }
  | { kind: 'parse'; service: ServiceName; operation: string; statusCode: number; body: string };

const SCRIPT = String.raw`
import base64, datetime, gzip, json, sys, urllib.parse
from botocore import handlers
from botocore.model import ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

def to_json(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    raise TypeError(type(value))

request = json.load(sys.stdin)
models = {}
results = []
for job in request['jobs']:
    path = request['modelPaths'][job['service']]
    if path not in models:
        with gzip.open(path, 'rt', encoding='utf-8') as file:
            models[path] = ServiceModel(json.load(file), service_name=job['service'])
    model = models[path]
    operation = model.operation_model(job['operation'])
    if job['kind'] == 'serialize':
        serialized = create_serializer(model.metadata['protocol'], include_validation=True).serialize_to_request(job['params'], operation)
        results.append(urllib.parse.urlencode(serialized['body']))
    else:
        parser = create_parser(model.metadata['protocol'])
        response = {'body': job['body'].encode('utf-8'), 'headers': {}, 'status_code': job['statusCode']}
        parsed = parser.parse(response, operation.output_shape)
        if job['service'] == 'iam' and job['statusCode'] < 300:
            # botocore registers this handler for after-call.iam: what boto3 users and the CLI receive.
            handlers.json_decode_policies(parsed, operation)
        results.append(parsed)
print(json.dumps(results, default=to_json))
`;

/** Runs the jobs in one botocore process and returns one result per job, in order. */
export function runBotocore(jobs: BotocoreJob[]): unknown[] {
  const modelPaths = Object.fromEntries(Object.entries(MODEL_VERSIONS).map(([name, version]) =>
    [name, fileURLToPath(new URL(`../../../models/${name}-${version}.json.gz`, import.meta.url))]));
  const run = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify({ jobs, modelPaths }), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`botocore failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}
