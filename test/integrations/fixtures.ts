import type { MeetingRequest } from '../../src/integrations/meetings';

// People from config/lendos.example.json: Steven is the IRC, Jake the deployment engineer, Luis
// and Bosko the validators.

export const steven = { aadObjectId: '00000000-0000-0000-0000-0000000000a3', email: 'steven.inouye@lendos.example', name: 'Steven Inouye' };
export const jake = { aadObjectId: '00000000-0000-0000-0000-0000000000a5', email: 'jake.edgington@lendos.example', name: 'Jake Edgington' };
export const luis = { aadObjectId: '00000000-0000-0000-0000-0000000000a1', email: 'luis.garcia@lendos.example', name: 'Luis Garcia' };
export const bosko = { aadObjectId: '00000000-0000-0000-0000-0000000000a4', email: 'bosko.kocev@lendos.example', name: 'Bosko Kocev' };

export const mailboxes = [steven, jake, luis, bosko];

export function deployMeeting(overrides: Partial<MeetingRequest> = {}): MeetingRequest {
  return {
    subject: 'Deploy 2026.4.0 to BXCI Production',
    start: new Date('2026-04-14T22:00:00Z'),
    end: new Date('2026-04-14T23:30:00Z'),
    organizer: { email: steven.email, aadObjectId: steven.aadObjectId },
    attendees: [
      { email: jake.email, name: jake.name },
      { email: luis.email, name: luis.name },
      { email: bosko.email, name: bosko.name },
    ],
    ...overrides,
  };
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
