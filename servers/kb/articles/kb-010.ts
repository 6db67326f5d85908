/** Body of KB-010. Keyword rules: see the header of ../data.ts. */
export const kb010 = String.raw`# High CPU Usage by kworker Threads on Linux

## Symptoms
top shows one or more kworker threads (for example kworker/u8:2) using a large share of the CPU, and
the whole system answers slowly. kworker threads run deferred work on behalf of the kernel, so the
thread itself is never the cause: it shows that some driver or subsystem keeps queuing work.

## 1. Confirm and identify
~~~bash
top -H -o %CPU
ps -eo pid,comm,%cpu --sort=-%cpu | grep kworker | head
~~~

## 2. Look for an interrupt storm
~~~bash
watch -n1 cat /proc/interrupts
cat /proc/softirqs
~~~
A counter that climbs by thousands per second points to a device and its driver (a USB controller,
a GPU, or ACPI).

## 3. Read the kernel log
~~~bash
dmesg -T | tail -50
journalctl -k -p warning --since "1 hour ago"
~~~
Repeated ACPI messages ("GPE storm detected") or driver resets name the culprit.

## 4. Check I/O pressure
Writeback of dirty pages also runs in kworker threads.
~~~bash
sudo iotop -o
iostat -x 2 5
~~~

## 5. Trace the workqueue
~~~bash
echo workqueue:workqueue_queue_work | sudo tee /sys/kernel/debug/tracing/set_event
sudo cat /sys/kernel/debug/tracing/trace_pipe | head -100
echo | sudo tee /sys/kernel/debug/tracing/set_event    # stop tracing
~~~
The function names in the trace show which driver queues the work.

## 6. Deal with the driver
~~~bash
lsmod | sort -k2 -n -r | head
sudo modprobe -r <module>    # test: unload the suspect module
~~~
If the load disappears, update the driver, blacklist the module, or mask the ACPI event, for example
echo disable | sudo tee /sys/firmware/acpi/interrupts/gpe6F.

## 7. Update the kernel and check the filesystem
~~~bash
sudo apt update && sudo apt full-upgrade     # Ubuntu and Debian
sudo dnf upgrade --refresh kernel             # RHEL and CentOS
~~~
A newer kernel often carries the driver fix. If writeback never settles, schedule a filesystem check
(fsck) for the next reboot.
`;
