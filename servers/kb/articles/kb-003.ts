/** Body of KB-003. Keyword rules: see the header of ../data.ts. */
export const kb003 = String.raw`# macOS Kernel Panic: Diagnosis and Recovery

## Symptoms
The Mac restarts unexpectedly and reports afterwards that it restarted because of a problem.
Repeated kernel panics often show up after waking from sleep or right after a macOS update.

## 1. Read the panic report
1. Open Console.app.
2. Select Crash Reports in the sidebar and look for reports whose names start with "panic" or
   "Kernel".
3. The report lists the backtrace and the loaded kernel extensions. A third-party extension named in
   the backtrace is the prime suspect.

From Terminal:
~~~bash
ls -lt /Library/Logs/DiagnosticReports | head
log show --predicate 'eventMessage contains "panic"' --last 1d
~~~

## 2. Reset the SMC
- Apple silicon: shut down, wait 30 seconds and start again; every cold start resets the SMC
  functions.
- Intel Mac with a T2 chip: shut down, hold Control + Option + Shift for 7 seconds, add the power
  button for another 7 seconds, release everything and start.
- Older Intel Mac: shut down and hold Shift + Control + Option + power for 10 seconds.

## 3. Reset NVRAM/PRAM (Intel only)
Start the Mac and at once hold Option + Command + P + R for about 20 seconds. Apple silicon checks
NVRAM by itself at startup.
~~~bash
# The same from Terminal; takes effect at the next restart
sudo nvram -c
~~~

## 4. Check kernel extensions
~~~bash
kextstat | grep -v com.apple
sudo kextcache -i /
~~~
Remove or update outdated third-party extensions (old VPN clients, virtualisation tools, USB
adapters), then rebuild the cache as above.

## 5. Install software updates
Open System Settings → General → Software Update and install every pending update, then update the
third-party apps that load extensions.

## 6. Rule out hardware
- Start in Safe Mode (hold Shift on Intel; on Apple silicon hold the power button and choose
  Continue in Safe Mode). If the panics stop in Safe Mode, software is the cause.
- Run Apple Diagnostics (hold D at startup) to test memory and logic board.
- Disconnect all peripherals and add them back one at a time.

## When to escalate
If the Mac still panics after all steps, back it up, reinstall macOS from Recovery, or book a
hardware repair.
`;
