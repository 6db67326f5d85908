/** Body of KB-001. Keyword rules: see the header of ../data.ts. */
export const kb001 = String.raw`# Resolving Windows Stop Error DRIVER_IRQL_NOT_LESS_OR_EQUAL

## Symptoms
The computer stops without warning and restarts with the stop code DRIVER_IRQL_NOT_LESS_OR_EQUAL.
The crash tends to happen under load: during video calls, with many applications open, or while a
lot of data moves over the network.

## What the stop code means
A driver tried to touch memory at an interrupt request level (IRQL) that was too high for that
access. The faulty component is almost always a third-party driver, not Windows itself. The crash
dump usually names the module, a file ending in .sys.

## Common causes
- Faulty or failing RAM
- Outdated or corrupted network adapter and graphics drivers
- Corrupted system files
- Hardware conflicts after a new device was added

## Step-by-step resolution

### 1. Start in Safe Mode
If the machine crashes before you can work, open Settings → System → Recovery → Advanced startup,
then choose Startup Settings and press 4 to start in Safe Mode.

### 2. Find the faulting driver
~~~powershell
# The five most recent crash dumps
Get-ChildItem C:\Windows\Minidump | Sort-Object LastWriteTime -Descending | Select-Object -First 5
~~~
Open the newest dump in WinDbg and run !analyze -v. The MODULE_NAME line names the driver.

### 3. Update or roll back the driver
1. Open Device Manager (devmgmt.msc).
2. Expand Network adapters and Display adapters.
3. Right-click the device, choose Properties and open the Driver tab.
4. Choose Update Driver, or Roll Back Driver if the crashes started after a recent driver update.

~~~powershell
# Third-party drivers, newest first
Get-CimInstance Win32_PnPSignedDriver |
  Where-Object DriverProviderName -ne 'Microsoft' |
  Sort-Object DriverDate -Descending |
  Select-Object DeviceName, DriverVersion, DriverDate -First 15
~~~

### 4. Test the memory
~~~powershell
mdsched.exe
~~~
Windows Memory Diagnostic runs at the next restart. Any reported error means a RAM module has to be
replaced.

### 5. Repair system files and install updates
~~~powershell
sfc /scannow
DISM /Online /Cleanup-Image /RestoreHealth
~~~
Then open Settings → Windows Update and install every pending quality update and optional driver
update.

### 6. Catch a hidden culprit with Driver Verifier
~~~powershell
verifier /standard /all
# once the crash has been reproduced, switch the checks off again
verifier /reset
~~~
Driver Verifier adds extra checks to every driver so that the faulty one is caught in the act. Use it
only on a machine you can restart freely.

## Prevention
- Take drivers from the hardware vendor, not only from generic sources.
- Install Windows updates every month.
- Create a restore point before changing a driver.
- Watch memory and temperature on machines that crash under load.
`;
