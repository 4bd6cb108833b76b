package io.baton; public class BatonApp { public static void main(String[] a){} }
