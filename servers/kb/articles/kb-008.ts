/** Body of KB-008. Keyword rules: see the header of ../data.ts. */
export const kb008 = String.raw`# BitLocker Asks for the Recovery Key After a BIOS Update

## Symptoms
After a BIOS or UEFI firmware update, Windows asks for the 48-digit BitLocker recovery key at every
start, although the TPM reports as present and ready.

## Why it happens
BitLocker seals the volume key to TPM measurements of the firmware (PCR values). A firmware update
changes those measurements, so the TPM no longer releases the key and BitLocker falls back to
recovery. If protection was not suspended before the update, the key stays sealed to the old values.

## 1. Get past the recovery prompt
Type the recovery key. Users find it in their Microsoft account (aka.ms/myrecoverykey);
administrators find it in Entra ID, Intune or Active Directory.

## 2. Re-seal the key to the new firmware
~~~powershell
# Current state
manage-bde -status C:
Get-Tpm
# Suspend protection for one restart; BitLocker re-seals when it resumes
Suspend-BitLocker -MountPoint "C:" -RebootCount 1
Restart-Computer
~~~
If the prompt still appears, remove and re-add the TPM protector:
~~~powershell
manage-bde -protectors -delete C: -type TPM
manage-bde -protectors -add C: -tpm
~~~

## 3. Reset the TPM (last resort)
Only after confirming that the recovery key is backed up:
~~~powershell
Clear-Tpm
# after the restart
Initialize-Tpm
~~~
Then add the TPM protector again as in step 2.

## 4. Back up the recovery key
~~~powershell
$protector = (Get-BitLockerVolume -MountPoint "C:").KeyProtector |
  Where-Object KeyProtectorType -eq 'RecoveryPassword'
Backup-BitLockerKeyProtector -MountPoint "C:" -KeyProtectorId $protector.KeyProtectorId
~~~

## Best practices
- Suspend BitLocker before every BIOS or firmware update.
- Keep recovery keys escrowed centrally and check the escrow now and then.
- Prefer Windows Update or the vendor's tool for firmware, since they suspend protection themselves.
- Note the TPM state (Get-Tpm) before and after firmware changes.
`;
