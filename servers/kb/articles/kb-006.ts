/** Body of KB-006. Keyword rules: see the header of ../data.ts. */
export const kb006 = String.raw`# Repairing NTFS File System Corruption

## Symptoms
The system hangs for 30 to 60 seconds while copying large files or opening File Explorer, some files
can no longer be read, and Event Viewer lists NTFS or disk errors.

## 1. Read the event log
Open Event Viewer → System and filter for these event IDs:
- 7 (disk): a bad block was found on the device.
- 11 (disk or controller): the driver detected a controller error.
- 15: the device is not ready for access.
- 55 (Ntfs): the file system structure on the volume is corrupt.

~~~powershell
Get-WinEvent -FilterHashtable @{ LogName = 'System'; Id = 7, 11, 15, 55 } -MaxEvents 50 |
  Format-Table TimeCreated, Id, ProviderName, Message -Wrap
~~~

## 2. Check the drive's health first
Repairing a file system on a dying drive can make things worse, so read the SMART data:
~~~powershell
Get-PhysicalDisk | Select-Object FriendlyName, MediaType, HealthStatus, OperationalStatus
Get-PhysicalDisk | Get-StorageReliabilityCounter |
  Select-Object DeviceId, ReadErrorsUncorrected, Temperature, Wear
~~~
If the health is not "Healthy", back up the data and replace the drive before anything else.

## 3. Run chkdsk
~~~powershell
# Read-only scan first
chkdsk C: /scan
# Repair: fix errors (/f), find bad sectors (/r), dismount the volume first (/x)
chkdsk D: /f /r /x
~~~
The system volume cannot be dismounted while it is in use, so chkdsk offers to run at the next
restart. A /r pass over a large drive can take hours.

## 4. Repair system files
~~~powershell
DISM /Online /Cleanup-Image /RestoreHealth
sfc /scannow
~~~
Run DISM first so that SFC repairs from a healthy component store.

## 5. Update storage drivers and firmware
Install the current storage controller driver and SSD firmware from the vendor, then install the
pending operating system updates.

## Prevention
- Always shut down cleanly; give desktops and servers a UPS.
- Watch SMART status and replace drives that report reallocated sectors.
- Keep storage drivers and firmware up to date.
- Back up regularly and test the restores.
`;
