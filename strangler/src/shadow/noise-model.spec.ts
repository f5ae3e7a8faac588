import { NoiseModel } from './noise-model';

describe('noise learnt from two answers of legacy', () => {
  it('knows nothing as noise before it has learnt', () => {
    expect(new NoiseModel().isNoise('body:at')).toBe(false);
  });

  it('takes a place seen differing once as noise while it has seen fewer pairs than minPairs', () => {
    const model = new NoiseModel({ minPairs: 10, minShare: 0.5, maxPlaces: 10 });
    model.learn(['body:at']);
    expect(model.isNoise('body:at')).toBe(true);
    expect(model.isNoise('body:stock')).toBe(false);
  });

  it('then keeps as noise only the places that differ in at least minShare of the pairs', () => {
    const model = new NoiseModel({ minPairs: 10, minShare: 0.3, maxPlaces: 10 });
    for (let pair = 0; pair < 10; pair++) model.learn(pair < 3 ? ['body:at', 'body:at', 'body:rare'] : ['body:at']);
    // `at` differed in every pair; `rare` in 3 of 10 (counted once per pair).
    expect(model.snapshot()).toEqual({
      pairs: 10,
      places: [
        { place: 'body:at', share: 1 },
        { place: 'body:rare', share: 0.3 },
      ],
    });
    expect(model.isNoise('body:rare')).toBe(true);
    model.learn([]);
    expect(model.isNoise('body:rare')).toBe(false); // 3 of 11
    expect(model.isNoise('body:at')).toBe(true);
  });

  it('forgets the rarest places beyond maxPlaces', () => {
    const model = new NoiseModel({ minPairs: 1, minShare: 0, maxPlaces: 2 });
    model.learn(['a', 'b']);
    model.learn(['a', 'b']);
    model.learn(['c']);
    expect(model.snapshot().places.map(({ place }) => place)).toEqual(['a', 'b']);
  });
});
