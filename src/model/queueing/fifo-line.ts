/**
 * The waiting line of a queue: a growable ring buffer of (customer, arrival time) pairs in
 * typed arrays, so that queueing a customer allocates nothing in the steady state.
 */
export class FifoLine {
  private customers = new Float64Array(1024);
  private arrivals = new Float64Array(1024);
  private head = 0;
  private count = 0;
  /** Arrival time of the customer returned by the last `shift`. */
  shiftedArrivalUs = 0;

  get length(): number {
    return this.count;
  }

  push(customer: number, arrivalUs: number): void {
    if (this.count === this.customers.length) this.grow();
    const tail = (this.head + this.count) % this.customers.length;
    this.customers[tail] = customer;
    this.arrivals[tail] = arrivalUs;
    this.count++;
  }

  /** Arrival time of the customer at the head, without removing it. */
  peekArrivalUs(): number {
    if (this.count === 0) throw new Error('peek into an empty line');
    return this.arrivals[this.head]!;
  }

  shift(): number {
    if (this.count === 0) throw new Error('shift from an empty line');
    const customer = this.customers[this.head]!;
    this.shiftedArrivalUs = this.arrivals[this.head]!;
    this.head = (this.head + 1) % this.customers.length;
    this.count--;
    return customer;
  }

  private grow(): void {
    const capacity = this.customers.length * 2;
    const customers = new Float64Array(capacity);
    const arrivals = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.customers.length;
      customers[i] = this.customers[from]!;
      arrivals[i] = this.arrivals[from]!;
    }
    this.customers = customers;
    this.arrivals = arrivals;
    this.head = 0;
  }
}
