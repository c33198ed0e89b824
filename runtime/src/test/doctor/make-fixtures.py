#!/usr/bin/env python3
"""Writes the doctor's fixture trees beside this script (README.md says where each fact comes from).

Run it after changing a fact here: python3 make-fixtures.py; the trees are committed.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

# Raspberry Pi OS's config.txt as pi-gen writes it (stage1/00-boot-files/files/config.txt),
# comments shortened; [cm4] otg_mode=1 is active in it.
CONFIG_TXT = """# For more options and information see
# http://rpf.io/configtxt
dtparam=audio=on
camera_auto_detect=1
display_auto_detect=1
dtoverlay=vc4-kms-v3d
max_framebuffers=2
arm_64bit=1
disable_overscan=1

[cm4]
# Enable host mode on the 2711 built-in XHCI USB controller.
# This line should be removed if the legacy DWC2 controller is required
# (e.g. for USB device mode) or if USB support is not required.
otg_mode=1

[all]

[pi4]
# Run as fast as firmware / board allows
arm_boost=1

[all]
"""
CMDLINE_TXT = "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait"
ISOLATION = "isolcpus=3 nohz_full=3 rcu_nocbs=3 irqaffinity=0-2"

BOARDS = {
    # id: model, GPIO chips (label, chip device, sysfs base), serial0 target, MemTotal kB, console
    "rpi-3b": ("Raspberry Pi 3 Model B Rev 1.2", [("pinctrl-bcm2835", 0, 512), ("raspberrypi-exp-gpio", 1, 566)], "ttyS0", 944_056, "serial0"),
    "rpi-3b-plus": ("Raspberry Pi 3 Model B Plus Rev 1.3", [("pinctrl-bcm2835", 0, 512), ("raspberrypi-exp-gpio", 1, 566)], "ttyS0", 944_056, "serial0"),
    "rpi-4b": ("Raspberry Pi 4 Model B Rev 1.4", [("pinctrl-bcm2711", 0, 512), ("raspberrypi-exp-gpio", 1, 570)], "ttyS0", 3_885_024, "ttyGS0"),
    "rpi-cm4": ("Raspberry Pi Compute Module 4 Rev 1.0", [("pinctrl-bcm2711", 0, 512), ("raspberrypi-exp-gpio", 1, 570)], "ttyS0", 3_885_024, "ttyGS0"),
    "rpi-zero-2w": ("Raspberry Pi Zero 2 W Rev 1.0", [("pinctrl-bcm2835", 0, 512)], "ttyS0", 437_516, "ttyGS0"),
    "rpi-5": ("Raspberry Pi 5 Model B Rev 1.0", [("gpio-brcmstb@107d508500", 0, 512), ("pinctrl-rp1", 4, 571)], "ttyAMA10", 8_245_104, "ttyGS0"),
}


def write(root, rel, text, mode="w"):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def link(root, rel, target):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


def elf(bits, machine):
    # e_ident: magic, class (1 = 32-bit, 2 = 64-bit), little-endian, version 1, padding;
    # e_type 3 (ET_DYN), e_machine (0x28 EM_ARM, 0xb7 EM_AARCH64), as `od -tx1 -N20 /usr/bin/java` shows.
    return bytes([0x7f, 0x45, 0x4c, 0x46, 2 if bits == 64 else 1, 1, 1, 0] + [0] * 8 + [3, 0, machine, 0])


def stat(tid, comm, rt_priority, policy):
    # proc_pid_stat(5): 52 fields; 40 rt_priority, 41 policy (0 SCHED_OTHER, 1 SCHED_FIFO).
    fields = ["0"] * 53
    fields[1], fields[2], fields[3] = str(tid), "(" + comm + ")", "S"
    fields[18] = str(-1 - rt_priority) if policy else "20"
    fields[40], fields[41] = str(rt_priority), str(policy)
    return " ".join(fields[1:]) + "\n"


def mainline_uarts(root):
    """A mainline kernel's device tree and ttys on a Pi 3 B (Debian's): no /dev/serial0 (no Raspberry Pi OS
    udev rule); aliases serial0 = uart0 (the PL011, ttyAMA0, Bluetooth's on the board) and serial1 = uart1
    (the mini UART on the header, ttyS1); /chosen/stdout-path names serial1 (torvalds/linux
    arch/arm/boot/dts/broadcom/bcm283x.dtsi aliases, bcm2837-rpi-3-b.dts chosen). sysfs as the kernel
    lays it out: /sys/class/tty/TTY links to the tty under its platform device, whose of_node links to
    the node under /sys/firmware/devicetree/base (what /proc/device-tree shows)."""
    write(root, "proc/device-tree/chosen/stdout-path", "serial1:115200n8\0")
    uarts = [("serial0", "serial@7e201000", "3f201000.serial", "ttyAMA0"), ("serial1", "serial@7e215040", "3f215040.serial", "ttyS1")]
    for alias, node, device, tty in uarts:
        write(root, "proc/device-tree/aliases/" + alias, "/soc/" + node + "\0")
        write(root, "sys/firmware/devicetree/base/soc/" + node + "/name", "serial\0")
        link(root, "sys/devices/platform/soc/%s/of_node" % device, "../../../../firmware/devicetree/base/soc/" + node)
        link(root, "sys/devices/platform/soc/%s/tty/%s/device" % (device, tty), "../../../" + device)
        link(root, "sys/class/tty/" + tty, "../../devices/platform/soc/%s/tty/%s" % (device, tty))
    # The 8250 driver's placeholder port and a virtual console: ttys with no device-tree node.
    link(root, "sys/devices/platform/serial8250/tty/ttyS0/device", "../../../serial8250")
    link(root, "sys/class/tty/ttyS0", "../../devices/platform/serial8250/tty/ttyS0")
    write(root, "sys/devices/virtual/tty/tty0/dev", "4:0\n")
    link(root, "sys/class/tty/tty0", "../../devices/virtual/tty/tty0")


def make(case, board, config_extra="", cmdline_extra=ISOLATION + " modules-load=dwc2,g_serial", cmdline_console=False,
         java="java-21-openjdk-arm64", java_version="21.0.5", bits=64, rt=True, preempt_rt=True, rtprio=47,
         getty=None, pirt_opts="", listing_extra="", omit_nodes=(), model=None, config_base=CONFIG_TXT,
         mainline=False, gpio_node="root gpio    254, %d"):
    root = os.path.join(HERE, case)
    shutil.rmtree(root, ignore_errors=True)
    b_model, chips, serial0, mem_kb, _ = BOARDS[board]
    write(root, "proc/device-tree/model", (model or b_model) + "\0")
    write(root, "boot/firmware/config.txt", config_base + config_extra)
    cmdline = CMDLINE_TXT if cmdline_console else CMDLINE_TXT.replace("console=serial0,115200 ", "")
    write(root, "boot/firmware/cmdline.txt", cmdline + (" " + cmdline_extra if cmdline_extra else "") + "\n")
    # /proc/cmdline: what the firmware hands the kernel, cmdline.txt after its own parameters.
    write(root, "proc/cmdline", "coherent_pool=1M 8250.nr_uarts=1 snd_bcm2835.enable_headphones=0 " + cmdline.replace("serial0", serial0)
          + (" " + cmdline_extra if cmdline_extra else "") + "\n")
    kernel = "6.12.25+rpt-rpi-v8" + ("-rt" if preempt_rt else "")
    write(root, "proc/version", "Linux version " + kernel + " (serge@raspberrypi.com) (aarch64-linux-gnu-gcc-12 (Debian 12.2.0-14) 12.2.0, "
          "GNU ld (GNU Binutils for Debian) 2.40) #1 SMP " + ("PREEMPT_RT" if preempt_rt else "PREEMPT") + " Debian 1:6.12.25-1+rpt1 (2025-04-30)\n")
    if preempt_rt:
        write(root, "sys/kernel/realtime", "1\n")
    write(root, "proc/meminfo", "MemTotal:       %8d kB\nMemFree:         %8d kB\n" % (mem_kb, mem_kb // 2))
    for label, number, base in chips:
        write(root, "sys/class/gpio/gpiochip%d/label" % base, label + "\n")
        write(root, "sys/class/gpio/gpiochip%d/base" % base, "%d\n" % base)
        write(root, "sys/class/gpio/gpiochip%d/device/gpiochip%d/dev" % (base, number), "254:%d\n" % number)
    # The ACT LED of the kernel's LED class (leds-gpio; on the 3 B and 3 B+ the firmware's expander):
    # /sys/class/leds/ACT is a link to the LED's device directory, trigger lists every trigger with the
    # active one in brackets (Raspberry Pi OS's default for ACT is mmc0; actpwr on the Zero 2 W).
    link(root, "sys/class/leds/ACT", "../../devices/platform/leds/leds/ACT")
    write(root, "sys/devices/platform/leds/leds/ACT/trigger", "none timer heartbeat default-on input actpwr [mmc0] mmc1\n")
    write(root, "sys/devices/platform/leds/leds/ACT/brightness", "0\n")
    write(root, "sys/devices/platform/leds/leds/ACT/max_brightness", "255\n")
    # The Java: /usr/bin/java -> /etc/alternatives/java -> the JDK's bin/java (Debian alternatives).
    link(root, "usr/bin/java", "/etc/alternatives/java")
    link(root, "etc/alternatives/java", "/usr/lib/jvm/" + java + "/bin/java")
    write(root, "usr/lib/jvm/" + java + "/bin/java", elf(bits, 0xb7 if bits == 64 else 0x28), "wb")
    write(root, "usr/lib/jvm/" + java + "/release", 'IMPLEMENTOR="Debian"\nJAVA_VERSION="%s"\nOS_ARCH="%s"\nOS_NAME="Linux"\n'
          % (java_version, "aarch64" if bits == 64 else "arm"))
    write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\npi:x:1000:1000:,,,:/home/pi:/bin/bash\n"
          "pirt:x:999:999:pirt board runtime:/var/lib/pirt:/usr/sbin/nologin\n")
    write(root, "etc/group", "root:x:0:\ndialout:x:20:pi,pirt\ngpio:x:997:pi,pirt\npi:x:1000:\npirt:x:999:\n")
    write(root, "etc/pirt/pirt.conf", "# /etc/pirt/pirt.conf (see packaging/src/deb/etc/pirt.conf)\nPIRT_OPTS=%s\n" % pirt_opts)
    if getty:
        write(root, "etc/systemd/system/getty.target.wants/" + getty, "")
    # The running runtime (PID 812): its command line, limits, uid and two threads.
    write(root, "proc/812/cmdline", "\0".join(["/usr/lib/jvm/" + java + "/bin/java", "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                                               "-XX:+UseSerialGC", "-cp", "/usr/share/pirt/lib/runtime/*:/usr/share/pirt/lib/app/*",
                                               "io.pirt.runtime.Main", "--state", "/var/lib/pirt", "--config", "/etc/pirt"]) + "\0")
    write(root, "proc/812/limits", "Limit                     Soft Limit           Hard Limit           Units     \n"
          "Max nice priority         0                    0                    \n"
          "Max realtime priority     %-20d %-20d \n" % (rtprio, rtprio))
    write(root, "proc/812/status", "Name:\tjava\nPid:\t812\nUid:\t999\t999\t999\t999\nGid:\t999\t999\t999\t999\n")
    write(root, "proc/812/task/812/stat", stat(812, "java", 0, 0))
    write(root, "proc/812/task/830/stat", stat(830, "pirt-console", 47 if rt else 0, 1 if rt else 0))
    write(root, "proc/812/task/831/stat", stat(831, "app-supervisor", 45 if rt else 0, 1 if rt else 0))
    if mainline:
        mainline_uarts(root)
    nodes = [("crw-rw---- 1 " if "gpio" in gpio_node else "crw------- 1 ") + gpio_node % n + " Dec  7 20:00 gpiochip%d" % n
             for _, n, _ in chips]
    nodes += ["crw-rw---- 1 root pirt     10, 58 Dec  7 20:00 cpu_dma_latency",
              "crw-rw---- 1 root dialout 239,  0 Dec  7 20:00 ttyGS0",
              "crw-rw---- 1 root dialout   4, 64 Dec  7 20:00 ttyS0",
              "crw-rw---- 1 root dialout 204, 64 Dec  7 20:00 ttyAMA0",
              "lrwxrwxrwx 1 root root          5 Dec  7 20:00 serial0 -> " + serial0]
    if mainline:
        # No serial0 link; the mini UART is ttyS1 (its alias, serial1, numbers it), ttyS0 the 8250 placeholder.
        nodes = [n for n in nodes if " serial0 -> " not in n] + ["crw-rw---- 1 root dialout   4, 65 Dec  7 20:00 ttyS1"]
    if board == "rpi-5":
        nodes += ["crw-rw---- 1 root dialout 204, 74 Dec  7 20:00 ttyAMA10"]
        nodes = [n for n in nodes if not n.endswith(" ttyS0")]
    nodes = [n for n in nodes if n.split()[-1] not in omit_nodes and not (n.split()[-1] == "ttyGS0" and "g_serial" not in cmdline_extra)]
    write(root, "dev-listing.txt", "total 0\n" + "\n".join(nodes) + "\n" + listing_extra)


GADGET = {"rpi-4b": "\n[all]\ndtoverlay=dwc2\n", "rpi-zero-2w": "\n[all]\ndtoverlay=dwc2\n",
          "rpi-cm4": "\n[all]\ndtoverlay=dwc2,dr_mode=peripheral\n", "rpi-5": "\n[all]\ndtoverlay=dwc2,dr_mode=peripheral\n"}
CM4_OTG_OFF = CONFIG_TXT.replace("\notg_mode=1", "\n#otg_mode=1")

# Good trees: the profile's console configured, the runtime at SCHED_FIFO, PREEMPT_RT with CPU 3 isolated.
for board in ["rpi-4b", "rpi-zero-2w", "rpi-5"]:
    make(board + "-good", board, config_extra=GADGET[board])
make("rpi-cm4-good", "rpi-cm4", config_extra=GADGET["rpi-cm4"], config_base=CM4_OTG_OFF)
for board in ["rpi-3b", "rpi-3b-plus"]:
    make(board + "-good", board, config_extra="\n[all]\nenable_uart=1\n", cmdline_extra=ISOLATION)

# Misconfigured trees.
make("rpi-5-uart-enable-only", "rpi-5", config_extra="\n[all]\nenable_uart=1\n", cmdline_extra=ISOLATION,
     pirt_opts="--console /dev/ttyAMA0", omit_nodes=("ttyAMA0",))
make("rpi-cm4-otg-mode", "rpi-cm4", config_extra=GADGET["rpi-cm4"])
make("rpi-4b-getty", "rpi-4b", config_extra=GADGET["rpi-4b"], getty="serial-getty@ttyGS0.service")
make("rpi-3b-kernel-console", "rpi-3b", config_extra="\n[all]\nenable_uart=1\n", cmdline_extra=ISOLATION, cmdline_console=True)
make("rpi-4b-32bit", "rpi-4b", config_extra=GADGET["rpi-4b"], java="java-21-openjdk-armhf", bits=32)
make("rpi-4b-no-rt-permission", "rpi-4b", config_extra=GADGET["rpi-4b"], rt=False, rtprio=0)
make("rpi-4b-jdk17", "rpi-4b", config_extra=GADGET["rpi-4b"], java="java-17-openjdk-arm64", java_version="17.0.13")
make("rpi-4b-no-preempt-rt", "rpi-4b", config_extra=GADGET["rpi-4b"], preempt_rt=False,
     cmdline_extra="modules-load=dwc2,g_serial")
make("rpi-4b-no-gadget", "rpi-4b", cmdline_extra=ISOLATION)
# Debian (a mainline kernel and device tree) on a Pi 3 B with the package installed: its udev rule gave
# /dev/gpiochip* to the group gpio its postinst made; no /dev/serial0, so the console is the UART the
# device tree names. And the same before the rule applied: the kernel's root:root 0600.
make("rpi-3b-debian", "rpi-3b", config_extra="\n[all]\nenable_uart=1\n", cmdline_extra=ISOLATION, model="Raspberry Pi 3 Model B",
     mainline=True)
make("rpi-3b-debian-gpio-root-only", "rpi-3b", config_extra="\n[all]\nenable_uart=1\n", cmdline_extra=ISOLATION,
     model="Raspberry Pi 3 Model B", mainline=True, gpio_node="root root    254, %d")
make("unknown-board", "rpi-4b", config_extra=GADGET["rpi-4b"], model="Raspberry Pi Compute Module 4S Rev 1.0")
