/** Body of KB-002. Keyword rules: see the header of ../data.ts. */
export const kb002 = String.raw`# Cleaning Up /var/log When the Root Volume Fills

## Symptoms
Services fail to write files, package installs abort with "No space left on device", and monitoring
reports the root filesystem above 90 % usage. The usual culprit is /var/log: a file that is never
rotated can grow to many gigabytes.

## 1. Measure first
~~~bash
df -h /
sudo du -xh /var/log --max-depth=1 | sort -rh | head -20
sudo find /var/log -type f -size +100M -exec ls -lh {} \;
~~~
One or two files usually dominate the disk usage; clean those first.

## 2. Compress old logs
~~~bash
sudo find /var/log -type f -name "*.log.[0-9]" ! -name "*.gz" -exec gzip {} \;
~~~

## 3. Shrink the systemd journal
~~~bash
journalctl --disk-usage
sudo journalctl --vacuum-size=500M
sudo journalctl --vacuum-time=14d
~~~
To keep the limit, set SystemMaxUse=500M in /etc/systemd/journald.conf and restart
systemd-journald.

## 4. Repair log rotation
A missing or broken logrotate rule is the usual root cause. Global defaults live in
/etc/logrotate.conf; add a rule per application, for example /etc/logrotate.d/myapp:
~~~
/var/log/myapp/*.log {
    daily
    rotate 14
    compress
    delaycompress
    missingok
    notifempty
    maxsize 200M
    copytruncate
}
~~~
Dry-run the rule, then force one rotation:
~~~bash
sudo logrotate -d /etc/logrotate.d/myapp
sudo logrotate -f /etc/logrotate.d/myapp
systemctl status logrotate.timer
~~~
The last command confirms that rotation is scheduled at all.

## 5. Emergency measures
When the volume is completely full and room is needed at once:
~~~bash
# Empty a huge active file without deleting it (the writer keeps its handle)
sudo truncate -s 0 /var/log/myapp/app.log
# Remove compressed rotations older than 30 days
sudo find /var/log -type f -name "*.gz" -mtime +30 -delete
~~~
Never delete a file that a running process still writes to: the blocks are only freed when the
process closes it. lsof +L1 lists such deleted-but-open files.

## Prevention
- Alert at 80 % usage, not at 95 %.
- Give /var/log its own volume on busy servers.
- Check that every new application ships a logrotate rule before it goes live.
`;
