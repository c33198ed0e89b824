/** GPIO and UART for applications, on real boards and on the simulated board. */
package io.pirt.hal;
