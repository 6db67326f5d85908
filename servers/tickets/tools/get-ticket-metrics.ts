import { z } from 'zod';
import { dayStart, daysBefore, floorDays, formatDay } from '../../../src/shared/clock.ts';
import { defineTool } from '../../kit/tool.ts';
import { TICKETS } from '../data.ts';

const PERIOD_DAYS = { last_7_days: 7, last_30_days: 30, last_90_days: 90 } as const;
const PERIODS = ['last_7_days', 'last_30_days', 'last_90_days', 'all_time'] as const;

const output = z.object({
  time_period: z.enum(PERIODS),
  start_date: z.string(),
  end_date: z.string(),
  total_tickets: z.number().int(),
  open_tickets: z.number().int(),
  in_progress_tickets: z.number().int(),
  resolved_tickets: z.number().int(),
  avg_resolution_time_hours: z.number(),
});

function hoursBetween(from: string, to: string): number {
  const start = dayStart(from) ?? 0;
  const end = dayStart(to) ?? start;
  return floorDays(start, end) * 24;
}

export const getTicketMetrics = defineTool({
  name: 'get_ticket_metrics',
  title: 'Get ticket metrics',
  description:
    'Count tickets created in a recent period by status (open, in progress, resolved) and give the average resolution time in hours of the resolved ones. Periods are counted back from today. Use this for workload and trend questions, not to list tickets (use search_tickets for that).',
  input: z
    .object({
      time_period: z
        .enum(PERIODS)
        .default('last_7_days')
        .describe('Window counted back from today: last_7_days (default), last_30_days, last_90_days or all_time.'),
    })
    .strict(),
  output,
  run({ time_period }, { clock }) {
    const now = clock.now();
    const start_date = time_period === 'all_time' ? '2000-01-01' : formatDay(daysBefore(now, PERIOD_DAYS[time_period]));
    const inPeriod = TICKETS.filter((t) => t.created_date >= start_date);
    const resolved = inPeriod.filter((t) => t.status === 'resolved');
    const totalHours = resolved.reduce((sum, t) => sum + hoursBetween(t.created_date, t.last_updated), 0);
    return {
      time_period,
      start_date,
      end_date: formatDay(now),
      total_tickets: inPeriod.length,
      open_tickets: inPeriod.filter((t) => t.status === 'open').length,
      in_progress_tickets: inPeriod.filter((t) => t.status === 'in_progress').length,
      resolved_tickets: resolved.length,
      avg_resolution_time_hours: resolved.length === 0 ? 0 : Math.round((totalHours / resolved.length) * 10) / 10,
    };
  },
});
