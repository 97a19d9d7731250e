// New-handoff alerts for agents who turn them on in the inbox: a short tone, and a desktop notification while the
// tab is in the background. The choice is kept in this browser, like the permission the browser asks for.
const KEY = 'parley:inbox-alerts';

export const enabled = () => localStorage.getItem(KEY) === 'on';

export async function enable(on) {
  localStorage.setItem(KEY, on ? 'on' : 'off');
  if (on && 'Notification' in window && Notification.permission === 'default') {
    await Notification.requestPermission();
  }
  return permission();
}

export const permission = () => ('Notification' in window ? Notification.permission : 'unsupported');

export function announce(title, body) {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.value = 0.08;
    tone.connect(volume).connect(audio.destination);
    tone.onended = () => audio.close();
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch { /* no audio device: the notification and the tab title still say it */ }
  if (permission() === 'granted' && document.visibilityState !== 'visible') {
    new Notification(title, { body, tag: 'parley-handoff' });
  }
}
