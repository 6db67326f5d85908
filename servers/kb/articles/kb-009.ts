/** Body of KB-009. Keyword rules: see the header of ../data.ts. */
export const kb009 = String.raw`# Fixing Active Directory Replication Failures

## Symptoms
Changes made on one domain controller do not reach the others, repadmin reports errors, and the
Directory Service log shows events such as 2042 (too long since the last replication), 1311 (the
replication topology is incomplete) or 1925 (a replication link could not be established).

## 1. Get an overview
~~~powershell
repadmin /replsummary
repadmin /showrepl * /csv > showrepl.csv
~~~
/replsummary lists, per domain controller, the largest replication delta and the number of
failures.

## 2. Run the domain controller diagnostics
~~~powershell
dcdiag /v /c /e > dcdiag.txt
dcdiag /test:dns /v
~~~
Most replication failures are name resolution failures in disguise.

## 3. Check DNS registration
Every domain controller must use a DNS server of the domain (never a public resolver), and its
service records must exist:
~~~powershell
nslookup -type=SRV _ldap._tcp.dc._msdcs.example.local
ipconfig /registerdns
Restart-Service Netlogon
~~~

## 4. Check the path between the controllers
These ports must be open on the network path between domain controllers:
- 389 LDAP (TCP and UDP) and 636 LDAPS
- 3268 Global Catalog
- 88 Kerberos
- 135 RPC endpoint mapper, plus the dynamic RPC range
- 445 SMB
- 53 DNS

~~~powershell
Test-NetConnection dc2.example.local -Port 389
Test-NetConnection dc2.example.local -Port 135
~~~

## 5. Force replication
~~~powershell
repadmin /syncall /AdePq
~~~

## 6. Event 2042 and lingering objects
When a controller was offline for longer than the tombstone lifetime, replication stops to protect
the directory. Remove lingering objects before you allow it again:
~~~powershell
repadmin /removelingeringobjects dc2.example.local <source-DC-GUID> "DC=example,DC=local" /advisory_mode
~~~
Run it with /advisory_mode first, read the result, then run it without.

## Prevention
- Check repadmin /replsummary every day.
- Keep the clocks of all controllers in sync (Kerberos tolerates five minutes of skew).
- Never restore a domain controller from an old snapshot.
`;
