import { aCloudEvent } from '@mandate/testing';
import { decodeCloudEvent, encodeCloudEvent, UndecodableMessageError } from './cloud-event-codec';

const message = (overrides: Record<string, unknown> = {}) => {
  const event = aCloudEvent('vn.mandate.task.progress-reported.v1', { taskId: 't', percent: 10 }, overrides);
  const encoded = encodeCloudEvent({ topic: 'mandate.tasks.v1', key: event.subject, event });
  return { headers: encoded.headers, value: Buffer.from(String(encoded.value)) };
};

describe('CloudEvents on Kafka (binary mode)', () => {
  it('decode what they encode', () => {
    expect(decodeCloudEvent(message())).toMatchObject({ cityid: 'ha-noi', source: '/mandate/ha-noi/plans', data: { percent: 10 } });
  });

  it("refuse a message whose city is not its publisher's: it goes to the dead letters, never to a city's data", () => {
    expect(() => decodeCloudEvent(message({ cityid: 'hai-phong', source: '/mandate/ha-noi/plans' }))).toThrow(UndecodableMessageError);
    expect(() => decodeCloudEvent(message({ source: '/elsewhere/ha-noi' }))).toThrow(/does not match the source/);
  });
});
