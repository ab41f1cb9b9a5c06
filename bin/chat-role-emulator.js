#!/usr/bin/env node
import '../dist/emulator/main.js'
