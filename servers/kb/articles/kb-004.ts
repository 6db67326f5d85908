/** Body of KB-004. Keyword rules: see the header of ../data.ts. */
export const kb004 = String.raw`# Slow Network Throughput on a File Server

## Symptoms
File copies to and from the server run far below link speed (for example 10 Mbps on a 1 Gbps link)
although hardware diagnostics pass. Clients see slow shares and time-outs.

## 1. Confirm the link
~~~powershell
Get-NetAdapter | Select-Object Name, InterfaceDescription, LinkSpeed, FullDuplex, Status
~~~
A link that negotiated 100 Mbps or half duplex points to a cable, a switch port or a speed/duplex
setting.

## 2. Review the adapter's advanced settings
Open Device Manager → Network adapters → (the adapter) → Properties → Advanced and check:
1. Speed & Duplex: the same as the switch port (usually auto-negotiation on both sides).
2. Flow Control: enabled on both ends or on neither.
3. Jumbo Packet: only when every device on the path supports the same MTU.
4. Receive Side Scaling (RSS): enabled.

~~~powershell
Get-NetAdapterAdvancedProperty -Name "Ethernet" | Format-Table DisplayName, DisplayValue
Get-NetAdapterRss -Name "Ethernet"
Enable-NetAdapterRss -Name "Ethernet"
~~~

## 3. Stop power saving on the adapter
On the Power Management tab, clear "Allow the computer to turn off this device to save power". Then
select the High performance power plan:
~~~powershell
powercfg /setactive SCHEME_MIN
~~~

## 4. Measure
~~~powershell
Test-NetConnection fileserver01 -Port 445
# iperf3: start "iperf3 -s" on the server, then on a client:
iperf3 -c fileserver01 -t 30 -P 4
~~~
Compare the result with the link speed. While copying a large file, watch Resource Monitor (resmon)
and the Performance Monitor (perfmon) counters Network Interface\Bytes Total/sec and
Output Queue Length.

## 5. Usual culprits
- An outdated NIC driver or firmware: install the vendor's current driver, not the inbox one.
- Antivirus scanning every file on the share: exclude the data folders from real-time scanning as a
  test.
- RSS or offload settings switched off by a driver update.
- A damaged patch cable or a failing switch port: swap them.

## After the fix
Run the iperf3 test again and keep the figures as the baseline for the next incident.
`;
