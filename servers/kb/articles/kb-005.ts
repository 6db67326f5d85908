/** Body of KB-005. Keyword rules: see the header of ../data.ts. */
export const kb005 = String.raw`# Fixing APT Errors on Ubuntu

## Symptoms
apt update stops with "404 Not Found" or "does not have a Release file", installs fail with unmet
dependencies, or apt reports "Could not get lock /var/lib/dpkg/lock-frontend".

## 1. Repositories of an end-of-life release
When a release reaches end of life, its packages move to old-releases.ubuntu.com and the normal
mirrors answer 404. Point sources.list at the archive:
~~~bash
sudo cp /etc/apt/sources.list /etc/apt/sources.list.bak
sudo sed -i -e 's/archive.ubuntu.com/old-releases.ubuntu.com/g' \
            -e 's/security.ubuntu.com/old-releases.ubuntu.com/g' /etc/apt/sources.list
sudo apt update
~~~
On a supported release, check instead that the mirror in sources.list (or in
/etc/apt/sources.list.d/ubuntu.sources on 24.04) answers, and plan the move to a newer release with
do-release-upgrade.

## 2. Broken dependencies and interrupted installs
~~~bash
sudo dpkg --configure -a
sudo apt --fix-broken install
sudo apt update && sudo apt upgrade
~~~

## 3. Clear the package cache
~~~bash
sudo apt clean
sudo apt autoclean
sudo rm -rf /var/lib/apt/lists/*
sudo apt update
~~~

## 4. Stale lock files
First make sure that no other package tool is running:
~~~bash
ps aux | grep -E 'apt|dpkg' | grep -v grep
~~~
Only when nothing is running, remove the locks and finish any half-done configuration:
~~~bash
sudo rm /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/cache/apt/archives/lock
sudo dpkg --configure -a
~~~

## 5. Problem PPAs
A third-party PPA without packages for your release breaks every refresh of the package lists.
~~~bash
ls /etc/apt/sources.list.d/
sudo add-apt-repository --remove ppa:owner/name
sudo apt update
~~~

## Prevention
- Move to a newer release before the current one leaves support.
- Keep third-party repositories to a minimum and remove them before a release upgrade.
- Let unattended-upgrades install security fixes.
`;
