import { expect, it } from 'vitest';
import { describeScenarios, ScenarioFailedError, useHelpdesk } from '../../src/vitest/index.ts';
import { ROOT } from '../servers.ts';

// mcp-helpdesk/vitest inside this suite: scenario files as tests, and the matchers over a run,
// each seen passing and failing with its reason. The README's example is the second test.

describeScenarios('the smoke scenarios as tests', { cwd: ROOT, filter: { tags: ['smoke'] } });

const helpdesk = useHelpdesk({ cwd: ROOT, filter: { ids: ['critical-tickets-cust-001', 'err-ticket-not-found'] } });

it("finds the critical tickets with one search and cites them (the README's example)", async () => {
  const run = await helpdesk.run('critical-tickets-cust-001');
  expect(run).toHaveCalledTools(['search_tickets'], 'exact');
  expect(run).toHaveCalledToolWith('search_tickets', { customer_id: 'CUST-001', priority: 'critical' });
  expect(run).not.toHaveReturnedEnvelope('search_tickets');
  expect(run).toHaveGroundedAnswer();
  expect(run).toHaveAnswerMatching(/TKT-1004/);
});

it("fails each matcher with the graders' expected-vs-actual reason", async () => {
  const run = await helpdesk.run('critical-tickets-cust-001');
  expect(() => expect(run).toHaveCalledTools(['lookup_customer', 'search_tickets'])).toThrow(
    'expected [lookup_customer, search_tickets] (in order), got [search_tickets]: lookup_customer was not called',
  );
  expect(() => expect(run).toHaveCalledToolWith('search_tickets', { priority: 'high' })).toThrow(
    'search_tickets: priority: expected "high", got "critical"',
  );
  expect(() => expect(run).toHaveCalledToolWith('get_invoice', {})).toThrow('expected a call of get_invoice, but it was not called');
  expect(() => expect(run).toHaveReturnedEnvelope('search_tickets')).toThrow(
    'expected an error envelope from search_tickets, but every call succeeded',
  );
  expect(() => expect(run).toHaveAnswerMatching('TKT-1009')).toThrow(
    /expected to contain "TKT-1009", got "Customer CUST-001 has 2 critical/,
  );
  expect(() => expect(run).not.toHaveCalledTools(['search_tickets'])).toThrow(
    'expected the run not to have called [search_tickets] (in_order), but it did',
  );
  expect(() => expect({ nothing: true }).toHaveCalledTools([])).toThrow(
    'expected a scenario result (from SuiteSession.runCase or useHelpdesk().run) or its run',
  );
});

it('reads an error envelope the model followed', async () => {
  const run = await helpdesk.run('err-ticket-not-found');
  expect(run).toHaveReturnedEnvelope('get_ticket_details', {
    error: 'Ticket TKT-9999 not found',
    retryable: true,
    follow_up_tools: ['search_tickets'],
  });
  expect(() => expect(run).toHaveReturnedEnvelope('get_ticket_details', { retryable: false })).toThrow(
    'get_ticket_details: retryable expected false, got true',
  );
  expect(run).toHaveCalledTools(['get_ticket_details', 'search_tickets'], 'exact');
});

it('turns a failed scenario into an error listing its reasons, one per line', async () => {
  const run = await helpdesk.run('critical-tickets-cust-001');
  const failed = { ...run, pass: false, failures: [{ name: 'answer', pass: false, reason: 'expected to contain "X", got "Y"' }] };
  expect(new ScenarioFailedError(failed).message).toBe(
    'scenario critical-tickets-cust-001 failed:\n  [answer] expected to contain "X", got "Y"',
  );
});
