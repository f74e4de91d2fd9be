// The History and Statistics tabs of an appointment.
import { $, el, toast } from './dom.js';
import { api, describe } from './api.js';
import { dateTime, duration } from './format.js';
import { detail } from './state.js';

const TABS = ['details', 'history', 'stats'];

export function selectTab(name) {
  for (const tab of TABS) {
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === name));
    $(`tab-${tab}`).tabIndex = tab === name ? 0 : -1;
    $(`panel-${tab}`).hidden = tab !== name;
  }
  if (name === 'history') loadHistory();
  if (name === 'stats') loadStats();
}

/** Re-reads the History or Statistics tab if it is the one open, after a lock event. */
export function refreshOpenTab() {
  if (!$('panel-history').hidden) loadHistory();
  if (!$('panel-stats').hidden) loadStats();
}

export async function loadHistory() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}/lock-history?limit=100`);
    $('history-rows').replaceChildren(...data.data.map((row) => el('tr', {},
      el('td', { textContent: dateTime(row.timestamp) }),
      el('td', {}, el('span', { className: `pill action-${row.action}`, textContent: row.action.replace('_', ' ') })),
      el('td', { textContent: row.userInfo?.name || row.userId }),
      el('td', { textContent: `#${row.fencingToken}`, title: 'Fencing token of the lease' }),
      el('td', { textContent: duration(row.duration) }),
      el('td', { textContent: row.renewalCount ?? '—' }),
      el('td', { textContent: [row.metadata?.takeoverOf ? 'takeover' : '', row.reason || ''].filter(Boolean).join(' · ') || '—' }),
    )));
    $('history-empty').hidden = data.data.length > 0;
  } catch (e) {
    toast(describe(e), 'error');
  }
}

export async function loadStats() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}/lock-statistics`);
    const entries = [
      ['Leases acquired', data.totals.acquired],
      ['Released', data.totals.released],
      ['Expired', data.totals.expired],
      ['Force-released', data.totals.force_released],
      ['Average lease', duration(data.averageDurationSeconds)],
      ['Different editors', data.uniqueUsers],
      ['Locked now', data.currentlyLocked ? 'Yes' : 'No'],
    ];
    $('stats').replaceChildren(...entries.map(([k, v]) => el('div', {}, el('dt', { textContent: k }), el('dd', { textContent: String(v) }))));
  } catch (e) {
    toast(describe(e), 'error');
  }
}
